# Build with the project's Maven wrapper, run on a JRE (deploy/image/build.sh builds it with Docker or podman;
# docs/deployment.md). The layout mirrors `java -jar` from the project root: /app/routes and
# /app/config/application.yaml (or /app/application.yaml) override the packaged copies, so both can be mounted from a
# ConfigMap without rebuilding the image.
#
# The base images are build arguments so that any JDK 17 / JRE 17 image with `useradd` can stand in for the public
# ones, e.g. bases made from Debian's packages where no registry is reachable (build.sh --local-bases).
ARG BUILD_IMAGE=eclipse-temurin:17-jdk
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

FROM ${BUILD_IMAGE} AS build
WORKDIR /build
COPY .mvn .mvn
COPY mvnw pom.xml ./
# The dependencies in a layer of their own, reused while pom.xml is unchanged. Not dependency:go-offline: it also
# resolves optional dependencies of dependencies, and some of those (hawtio-log) are not published.
RUN ./mvnw -B -q dependency:resolve dependency:resolve-plugins
COPY application.yaml ./
COPY routes routes
COPY src src
RUN ./mvnw -B -q package -DskipTests \
    && mkdir -p /layers && cd /layers \
    && java -Djarmode=tools -jar /build/target/immuta-view-sync-*.jar extract --layers --launcher --destination /layers

FROM ${RUNTIME_IMAGE}
RUN useradd --system --uid 10001 --home-dir /app viewsync
WORKDIR /app
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
COPY --chown=viewsync routes routes
COPY --chown=viewsync application.yaml application.yaml
RUN mkdir -p /app/data && chown viewsync /app/data
USER 10001
# Heap from the container's memory limit. The serial collector: on the one or two CPUs this service is given, its
# short young-generation pauses kept the webhook's acknowledgement p99 lowest (G1 and Parallel measured
# against it: docs/benchmarks.md, Settings and what they trade).
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+UseSerialGC"
EXPOSE 8080
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]

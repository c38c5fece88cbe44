# Build with the project's Maven wrapper, run on a JRE. Not built on the development machine (no Docker engine
# there; deploy/ and DeploymentManifestsTest check what can be checked without one). The layout mirrors `java -jar`
# from the project root: /app/routes and /app/config/application.yaml (or /app/application.yaml) override the
# packaged copies, so both can be mounted from a ConfigMap without rebuilding the image.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /build
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY application.yaml ./
COPY routes routes
COPY src src
RUN ./mvnw -B -q package -DskipTests \
    && mkdir -p /layers && cd /layers \
    && java -Djarmode=tools -jar /build/target/immuta-view-sync-*.jar extract --layers --launcher --destination /layers

FROM eclipse-temurin:17-jre
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
# short young-generation pauses kept the webhook's acknowledgement p99 lowest (G1, ZGC and Parallel measured
# against it in docs/benchmarks.md).
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+UseSerialGC"
EXPOSE 8080
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]

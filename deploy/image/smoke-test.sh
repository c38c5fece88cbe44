#!/usr/bin/env bash
# Builds the image and starts it the way the Kubernetes Deployment starts it, then checks what a user would:
#
#  1. The image with no configuration starts the demo (the built-in Immuta simulator and an H2 demo target).
#  2. The image as deploy/kubernetes runs it: uid 10001, read-only root file system, /tmp an empty writable
#     folder, /app/config/application.yaml from the ConfigMap, the Secret's keys as a Spring config tree in
#     /app/secrets, the routes in /app/routes; PostgreSQL state and target databases on this machine, and the demo
#     instance's simulator as its Immuta. Its probes answer; the admin endpoints refuse anonymous requests; a
#     webhook the simulator signs and delivers becomes a view in PostgreSQL; an unsigned one is refused.
#  3. SIGTERM stops each instance within the Deployment's 30 s grace period, less its 5 s preStop pause.
#
#   deploy/image/smoke-test.sh            (as root: it mounts and chroots, as a container runtime does)
#
# Environment: APP_PORT (18481), DEMO_PORT (18482), IMAGE (immuta-view-sync:smoke), BUILD_OPTIONS (passed to
# build.sh, default "--maven-repo $HOME/.m2"), PGHOST/PGPORT/PGUSER (127.0.0.1, 5432, postgres).
# It creates and drops its own PostgreSQL databases, viewsync_image_state and viewsync_image_target.
#
# The containers are not started by a container engine, which may be unable to (no cgroups, no rlimits in a CI
# sandbox): the image's file system is exported and its entrypoint run from it with unshare and chroot, as a
# runtime would: new mount and PID namespaces (the JVM is PID 1), an overlay root, the mounts of the Deployment,
# then the image's user, working directory, environment and entrypoint. The host's network is shared.
set -euo pipefail
cd "$(dirname "$0")/../.."
PROJECT=$(pwd)

APP_PORT=${APP_PORT:-18481}
DEMO_PORT=${DEMO_PORT:-18482}
IMAGE=${IMAGE:-immuta-view-sync:smoke}
BUILD_OPTIONS=${BUILD_OPTIONS:---maven-repo $HOME/.m2}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
STATE_DB=viewsync_image_state
TARGET_DB=viewsync_image_target
# terminationGracePeriodSeconds, of which the preStop pause takes 5 s before SIGTERM.
GRACE_SECONDS=30
PRE_STOP_SECONDS=5
WEBHOOK_SECRET=smoke-webhook-secret
ADMIN_PASSWORD=smoke-admin-password

step() { echo; echo "== $*"; }
fail() { echo "SMOKE TEST FAILED: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "run as root: the test mounts the image's file system and chroots into it"
for tool in unshare chroot curl psql createdb dropdb; do
  command -v "$tool" >/dev/null || fail "$tool is missing"
done

for port in "$APP_PORT" "$DEMO_PORT"; do
  curl -s -o /dev/null "http://127.0.0.1:$port/" && fail "port $port is taken: set APP_PORT / DEMO_PORT"
done

WORK=$(mktemp -d /tmp/viewsync-smoke.XXXXXX)
PIDS=()
cleanup() {
  local pid child
  for pid in "${PIDS[@]}"; do
    # The JVM changed its user, which cancels unshare's --kill-child: end it by its own id.
    for child in $(pgrep -P "$pid" || true); do kill -KILL "$child" 2>/dev/null || true; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  dropdb --if-exists "$STATE_DB" 2>/dev/null || true
  dropdb --if-exists "$TARGET_DB" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

step "Build the image"
# shellcheck disable=SC2086 # BUILD_OPTIONS is a list of options
deploy/image/build.sh --tag "$IMAGE" $BUILD_OPTIONS
if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then ENGINE=docker; else ENGINE=podman; fi

step "Export the image's file system"
container=$("$ENGINE" create "$IMAGE")
mkdir "$WORK/rootfs"
"$ENGINE" export "$container" | tar -C "$WORK/rootfs" --numeric-owner -xf -
"$ENGINE" rm "$container" >/dev/null
IMAGE_USER=$("$ENGINE" image inspect --format '{{.Config.User}}' "$IMAGE")
IMAGE_WORKDIR=$("$ENGINE" image inspect --format '{{.Config.WorkingDir}}' "$IMAGE")
mapfile -t IMAGE_ENV < <("$ENGINE" image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$IMAGE" | sed '/^$/d')
mapfile -t ENTRYPOINT < <("$ENGINE" image inspect --format '{{range .Config.Entrypoint}}{{println .}}{{end}}' "$IMAGE" | sed '/^$/d')
echo "User $IMAGE_USER, working directory $IMAGE_WORKDIR, entrypoint ${ENTRYPOINT[*]}"
[ "$IMAGE_USER" = 10001 ] || fail "the image runs as '$IMAGE_USER', the Deployment's runAsUser is 10001"

# start NAME READ_ONLY_ROOT [mount:SOURCE:TARGET ...] [ENV=VALUE ...]: runs the image's entrypoint in the background.
start() {
  local name=$1 read_only=$2 item; shift 2
  local mounts=() env=("${IMAGE_ENV[@]}")
  for item in "$@"; do
    case "$item" in
      mount:*) mounts+=("${item#mount:}") ;;
      *) env+=("$item") ;;
    esac
  done
  local root="$WORK/$name-root" rw="$WORK/$name-rw" script="$WORK/$name-start.sh"
  mkdir -p "$root" "$rw"
  {
    echo "set -e"
    # The image's layers stay untouched below an overlay whose writable layer lives in memory.
    echo "mount -t tmpfs tmpfs '$rw' && mkdir '$rw/upper' '$rw/work'"
    echo "mount -t overlay overlay -o 'lowerdir=$WORK/rootfs,upperdir=$rw/upper,workdir=$rw/work' '$root'"
    for item in "${mounts[@]}"; do
      local source=${item%%:*} target=${item#*:}
      echo "mkdir -p '$root$target' && mount --bind '$source' '$root$target' && mount -o remount,bind,ro '$root$target'"
    done
    # emptyDir at /tmp; /proc of the new PID namespace; a minimal /dev.
    echo "mount -t tmpfs -o mode=1777 tmpfs '$root/tmp'"
    echo "mount -t proc proc '$root/proc'"
    echo "mount -t tmpfs -o mode=755 tmpfs '$root/dev'"
    echo "for node in null zero full random urandom; do touch '$root/dev/'\$node; mount --bind /dev/\$node '$root/dev/'\$node; done"
    if [ "$read_only" = true ]; then
      echo "mount -o remount,ro '$root'"
    fi
    printf 'exec chroot --userspec=%s:%s %q /usr/bin/env -i' "$IMAGE_USER" "$IMAGE_USER" "$root"
    printf ' %q' "${env[@]}" /bin/sh -c 'cd "$0" && exec "$@"' "$IMAGE_WORKDIR" "${ENTRYPOINT[@]}"
    echo
  } >"$script"
  unshare --mount --pid --fork --kill-child bash "$script" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  eval "${name//-/_}_unshare=$!"
}

# The JVM: the only child of unshare (PID 1 in its namespace).
jvm_of() {
  local unshare_pid=$1 pid
  for _ in $(seq 1 50); do
    pid=$(pgrep -P "$unshare_pid" || true)
    [ -n "$pid" ] && { echo "$pid"; return; }
    sleep 0.1
  done
  fail "no process started under unshare $unshare_pid"
}

await_ready() {
  local name=$1 port=$2 unshare_pid=$3 started=$SECONDS
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/actuator/health/readiness")" = 200 ]; do
    if ! kill -0 "$unshare_pid" 2>/dev/null || [ $((SECONDS - started)) -gt 240 ]; then
      tail -60 "$WORK/$name.log" >&2
      fail "$name did not become ready"
    fi
    sleep 1
  done
  echo "$name ready in $((SECONDS - started)) s"
}

# stop NAME UNSHARE_PID: SIGTERM to the JVM, as the kubelet sends after preStop; SIGKILL at the grace period.
stop() {
  local name=$1 unshare_pid=$2 jvm started
  jvm=$(jvm_of "$unshare_pid")
  started=$(date +%s%N)
  kill -TERM "$jvm"
  for _ in $(seq 1 $(((GRACE_SECONDS - PRE_STOP_SECONDS) * 10))); do
    kill -0 "$unshare_pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$unshare_pid" 2>/dev/null; then
    kill -KILL "$jvm"
    tail -30 "$WORK/$name.log" >&2
    fail "$name was still running $((GRACE_SECONDS - PRE_STOP_SECONDS)) s after SIGTERM (grace period less preStop)"
  fi
  local code=0
  wait "$unshare_pid" || code=$?
  echo "$name stopped $(( ($(date +%s%N) - started) / 1000000 )) ms after SIGTERM, exit code $code"
  grep -E "Commencing graceful shutdown|Graceful shutdown complete|Apache Camel .* shutdown" "$WORK/$name.log" | sed 's/^/  /' | cut -c1-160 || true
}

http() { curl -s -o /dev/null -w '%{http_code}' "$@"; }

step "1. The image with no configuration: the demo"
start demo false "SERVER_PORT=$DEMO_PORT"
await_ready demo "$DEMO_PORT" "$demo_unshare"
# Reconciliation at start makes the demo catalog's views in the H2 demo target (GET /views is open in the demo).
demo_views() { curl -s "http://127.0.0.1:$DEMO_PORT/views" | grep -o '"view" *: *"[a-z_]*"' | cut -d'"' -f4 | sort | tr '\n' ' '; }
for _ in $(seq 1 120); do [[ " $(demo_views) " == *" regulated_clients__customers "* ]] && break; sleep 0.5; done
echo "Demo views: $(demo_views)"
[[ " $(demo_views) " == *" regulated_clients__customers "* ]] || fail "the demo made no views"

step "2. The image as the Deployment runs it, against PostgreSQL"
dropdb --if-exists "$STATE_DB"; dropdb --if-exists "$TARGET_DB"
createdb "$STATE_DB"; createdb "$TARGET_DB"
# The simulator's catalog points at demo.* source tables; the views go to the ConfigMap's schema, immuta_views.
psql -q -v ON_ERROR_STOP=1 -d "$TARGET_DB" <<'SQL'
CREATE SCHEMA demo;
CREATE SCHEMA immuta_views;
CREATE TABLE demo.customers (id INT PRIMARY KEY, name VARCHAR(100), email VARCHAR(200), country VARCHAR(2), segment VARCHAR(20));
INSERT INTO demo.customers VALUES (1, 'Ada Lovelace', 'ada@example.com', 'GB', 'enterprise'), (3, 'Li Wei', 'li.wei@example.com', 'CN', 'smb');
CREATE TABLE demo.orders (id INT PRIMARY KEY, customer_id INT, amount DECIMAL(12, 2), ordered_on DATE);
INSERT INTO demo.orders VALUES (1, 1, 1200.00, DATE '2026-01-05'), (2, 1, 25000.00, DATE '2026-02-11');
CREATE TABLE demo.support_tickets (id INT PRIMARY KEY, customer_id INT, subject VARCHAR(200), body VARCHAR(2000), opened_on DATE);
SQL

# The ConfigMap's application.yaml, as its volume shows it at /app/config.
mkdir -p "$WORK/config" "$WORK/secrets" "$WORK/routes"
awk '/^  application.yaml: \|/ { inside = 1; next } inside && /^    / { print substr($0, 5); next } inside && /^[^ ]/ { inside = 0 }' \
  deploy/kubernetes/configmap.yaml >"$WORK/config/application.yaml"
[ -s "$WORK/config/application.yaml" ] || fail "no application.yaml in deploy/kubernetes/configmap.yaml"
# The Secret as its volume shows it at /app/secrets: a file per key, named by the key.
for key in $(awk '/^stringData:/ { inside = 1; next } inside && /^  [^ ]/ { sub(":.*", ""); print $1; next } inside && /^[^ ]/ { inside = 0 }' \
    deploy/kubernetes/secret.template.yaml); do
  case "$key" in
    immuta.api-key) value=demo-api-key ;;  # the simulator's key
    viewsync.webhook.secret) value=$WEBHOOK_SECRET ;;
    viewsync.admin.password) value=$ADMIN_PASSWORD ;;
    *) value="unused-$key" ;;              # database passwords: PostgreSQL trusts local connections
  esac
  printf '%s' "$value" >"$WORK/secrets/$key"
  echo "Secret key $key"
done
cp -r routes/workflows routes/platform "$WORK/routes/"
chmod -R a+rX "$WORK/config" "$WORK/secrets" "$WORK/routes"

# What the Deployment sets (SPRING_CONFIG_IMPORT) and the memory limit it gives (1Gi), then what differs from the
# ConfigMap on this machine, as an overlay would patch it: the databases, Immuta (the demo's simulator), the
# webhook's own URL, and the port.
start app true \
  "mount:$WORK/config:/app/config" "mount:$WORK/secrets:/app/secrets" "mount:$WORK/routes:/app/routes" \
  "SPRING_CONFIG_IMPORT=optional:configtree:/app/secrets/" "JDK_JAVA_OPTIONS=-XX:MaxRAM=1g" \
  "SERVER_PORT=$APP_PORT" \
  "SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:5432/$STATE_DB" "SPRING_DATASOURCE_USERNAME=postgres" \
  "VIEWSYNC_TARGETS_PG_URL=jdbc:postgresql://127.0.0.1:5432/$TARGET_DB" "VIEWSYNC_TARGETS_PG_USERNAME=postgres" \
  "IMMUTA_URL=http://127.0.0.1:$DEMO_PORT/immuta-simulator" \
  "VIEWSYNC_WEBHOOK_URL=http://127.0.0.1:$APP_PORT/immuta/webhook" "VIEWSYNC_WEBHOOK_ALLOWLOOPBACK=true"
await_ready app "$APP_PORT" "$app_unshare"
app_jvm=$(jvm_of "$app_unshare")
echo "JVM: uid $(awk '/^Uid:/ { print $2 }' "/proc/$app_jvm/status"), root file system $(awk '$5 == "/" { print $6 }' "/proc/$app_jvm/mountinfo" | tail -1)"
[ "$(awk '/^Uid:/ { print $2 }' "/proc/$app_jvm/status")" = 10001 ] || fail "the JVM does not run as uid 10001"
awk '$5 == "/" { print $6 }' "/proc/$app_jvm/mountinfo" | tail -1 | grep -q '^ro' || fail "the root file system is writable"
grep -q "configtree\|Started ViewSyncApplication" "$WORK/app.log" || true

for probe in liveness readiness; do
  echo "Probe /actuator/health/$probe: $(http "http://127.0.0.1:$APP_PORT/actuator/health/$probe") $(curl -s "http://127.0.0.1:$APP_PORT/actuator/health/$probe" | cut -c1-200)"
done
for path in /actuator/prometheus /actuator/jolokia /actuator/hawtio/ /admin/failed; do
  code=$(http "http://127.0.0.1:$APP_PORT$path")
  echo "Anonymous GET $path: $code"
  [ "$code" = 401 ] || fail "anonymous GET $path answered $code"
done
code=$(http -u "admin:$ADMIN_PASSWORD" "http://127.0.0.1:$APP_PORT/actuator/prometheus")
echo "Admin GET /actuator/prometheus (password from the Secret): $code"
[ "$code" = 200 ] || fail "the admin password from the Secret was not taken"

# Reconciliation at start made the views Immuta wants; the Orders data source is not in project 2 yet.
view=marketing_analytics__orders
views_in_target() { psql -tA -d "$TARGET_DB" -c "SELECT string_agg(table_name, ' ' ORDER BY table_name) FROM information_schema.views WHERE table_schema = 'immuta_views'"; }
for _ in $(seq 1 120); do [[ " $(views_in_target) " == *" marketing_analytics__customers "* ]] && break; sleep 0.5; done
echo "Views after start: $(views_in_target)"
[[ " $(views_in_target) " != *" $view "* ]] || fail "$view exists before its webhook"

code=$(http -X POST -H 'Content-Type: application/json' -d '{"notificationType":"addedToProject"}' "http://127.0.0.1:$APP_PORT/immuta/webhook")
echo "Unsigned webhook: $code"
[ "$code" = 401 ] || fail "an unsigned webhook answered $code"

echo "Simulator: add data source 2 (Orders) to project 2 (Marketing Analytics); it delivers signed addedToProject webhooks:"
curl -s -X POST "http://127.0.0.1:$DEMO_PORT/immuta-simulator/control/projects/2/dataSources/2" | cut -c1-400; echo
started=$SECONDS
until [[ " $(views_in_target) " == *" $view "* ]]; do
  [ $((SECONDS - started)) -lt 60 ] || { tail -40 "$WORK/app.log" >&2; fail "no view $view 60 s after the webhook"; }
  sleep 0.2
done
echo "View immuta_views.$view in $TARGET_DB after the webhook: $(psql -tA -d "$TARGET_DB" -c "SELECT count(*) FROM immuta_views.$view") rows (row filter amount < 10000)"
curl -s -u "admin:$ADMIN_PASSWORD" "http://127.0.0.1:$APP_PORT/actuator/prometheus" | grep '^viewsync_notifications_received_total' || true

step "3. SIGTERM"
stop app "$app_unshare"
stop demo "$demo_unshare"

echo
echo "SMOKE TEST PASSED"

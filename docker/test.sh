#!/usr/bin/env bash
# docker/test.sh - build the image from docker/Dockerfile and check it runs.
#
# Run from the repository root as root on Debian 12 (./dev docker-test does
# both). No Docker daemon or registry is needed: buildah builds the
# Dockerfile unchanged, podman runs it, and the debian:bookworm-slim base is
# made locally with debootstrap from the host's apt mirror when it is not in
# the container store yet (where it stays, so the next run is fast).
#
# Prints one PASS/FAIL line per check and "docker-test: N passed, M failed";
# exits 1 when a check failed. Containers and volumes it made are removed;
# images and the layer cache are kept.
#
# With --build-only (./dev image) it stops once the image is built, tagged
# localhost/waba-emulator:latest.
#
# Environment: WABA_IMAGE (tag, default localhost/waba-emulator:test),
# WABA_IMAGE_MAX_BYTES (size limit, default 15000000).
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_ONLY=0
case "${1:-}" in
--build-only) BUILD_ONLY=1 ;;
"") ;;
*) echo "usage: $0 [--build-only]" >&2; exit 2 ;;
esac
if [ "$BUILD_ONLY" = 1 ]; then
	IMAGE=${WABA_IMAGE:-localhost/waba-emulator:latest}
else
	IMAGE=${WABA_IMAGE:-localhost/waba-emulator:test}
fi
MAX_BYTES=${WABA_IMAGE_MAX_BYTES:-15000000}
BASE=docker.io/library/debian:bookworm-slim
BASE_LABEL=org.waba-emulator.apt-sources
WABA=4000000000000001      # fixtures/demo.json, compiled into the binary
TOKEN=EAAdemoAdmin
FX_WABA=4100000000000001   # docker/fixtures/example.json
FX_TOKEN=EAAexampleAdmin

passed=0
failed=0
containers=()
volumes=()
work=$(mktemp -d)
t0=$SECONDS

pass() { passed=$((passed + 1)); echo "PASS: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
note() { echo "docker-test: $* [$((SECONDS - t0))s]"; }

cleanup() {
	local c v
	for c in "${containers[@]}"; do
		# -v: also the anonymous volume each run makes for /data
		pod rm -f -v -t 2 "$c" >/dev/null 2>&1 || true
	done
	for v in "${volumes[@]}"; do
		podman volume rm -f "$v" >/dev/null 2>&1 || true
	done
	rm -rf "$work"
}
trap cleanup EXIT

finish() {
	echo "docker-test: took $((SECONDS - t0))s"
	# the plain closing line CI reads: nothing may follow the counts
	echo "docker-test: $passed passed, $failed failed"
	[ "$failed" -eq 0 ] && exit 0
	exit 1
}

# ------------------------------------------------------------------ tools ---
# runc, because crun refuses hosts with a hybrid cgroup layout; netavark and
# iptables for the published port.
pkgs=(buildah podman runc netavark aardvark-dns iptables debootstrap curl
	ca-certificates)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	note "installing ${missing[*]}"
	timeout 600 apt-get update -qq
	DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq \
	    --no-install-recommends "${missing[@]}" >/dev/null
fi

# podman asks for rlimits above the hard limits a container host may allow
# (and caps its own nproc at 32768).
nofile=$(ulimit -Hn)
[ "$nofile" = unlimited ] && nofile=1048576
nproc=$(ulimit -Hu)
{ [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ]; } && nproc=32768
RUN_FLAGS=(--pull=never --ulimit "nofile=$nofile:$nofile"
	--ulimit "nproc=$nproc:$nproc")
# Without systemd, podman logs an error each time it would add or remove a
# health-check timer; the checks are run by hand below, so those go.
pod() {
	podman --runtime runc "$@" 2> >(grep -v 'systemd connection' >&2)
}

# ------------------------------------------------------------- base image ---
# The local base is labelled with the hash of the apt sources it came from
# and made again when they change. An image without the label (pulled from
# a registry) is used as it is.
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
	sources=/etc/apt/sources.list.d/debian.sources
	mirror=$(awk '/^URIs:/ {print $2; exit}' "$sources")
else
	sources=/etc/apt/sources.list
	mirror=$(awk '$1 == "deb" && $3 == "bookworm" {print $2; exit}' \
	    "$sources" 2>/dev/null || true)
fi
mirror=${mirror:-http://deb.debian.org/debian}
# The label changes with the apt sources and with the recipe below.
sources_hash=$({ echo recipe-2; cat "$sources" 2>/dev/null; } |
	sha256sum | cut -c1-16)

have_base=0
if podman image exists "$BASE"; then
	label=$(podman image inspect --format "{{index .Labels \"$BASE_LABEL\"}}" \
	    "$BASE" 2>/dev/null || true)
	case "$label" in
	"" | "<no value>" | "$sources_hash") have_base=1 ;;
	esac
fi
if [ "$have_base" = 0 ]; then
	note "making $BASE with debootstrap from $mirror"
	root="$work/rootfs"
	timeout 900 debootstrap --variant=minbase bookworm "$root" "$mirror" \
	    >"$work/debootstrap.log" 2>&1 || {
		tail -20 "$work/debootstrap.log"
		fail "base image: debootstrap"
		finish
	}
	# Slim it the way the official image is slimmed; without docker-clean
	# every apt-get layer keeps apt's caches.
	(
		cd "$root"
		rm -rf var/cache/apt/archives/*.deb var/cache/apt/*.bin \
		    var/lib/apt/lists/* var/log/* dev/* \
		    usr/share/man/* usr/share/info/* usr/share/locale/*
		find usr/share/doc -type f ! -name copyright -delete
		: >etc/resolv.conf
		echo localhost >etc/hostname
		rm -f etc/apt/sources.list etc/apt/sources.list.d/*
		if [ "$sources" = /etc/apt/sources.list.d/debian.sources ]; then
			cp "$sources" etc/apt/sources.list.d/
		else
			printf 'deb %s bookworm main\ndeb %s bookworm-updates main\n' \
			    "$mirror" "$mirror" >etc/apt/sources.list
			echo "deb http://deb.debian.org/debian-security" \
			    "bookworm-security main" >>etc/apt/sources.list
		fi
		printf '%s\n' 'path-exclude /usr/share/doc/*' \
		    'path-include /usr/share/doc/*/copyright' \
		    'path-exclude /usr/share/man/*' \
		    'path-exclude /usr/share/info/*' \
		    'path-exclude /usr/share/locale/*' \
		    >etc/dpkg/dpkg.cfg.d/docker-excludes
		cat >etc/apt/apt.conf.d/docker-clean <<-'EOF'
		DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
		APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
		Dir::Cache::pkgcache "";
		Dir::Cache::srcpkgcache "";
		EOF
		echo 'Acquire::Languages "none";' \
		    >etc/apt/apt.conf.d/docker-no-languages
	)
	# tar | import keeps file owners (buildah copy would not).
	tar --numeric-owner -C "$root" -c . |
		podman import --quiet --change 'CMD ["bash"]' \
		    --change "LABEL $BASE_LABEL=$sources_hash" - "$BASE" >/dev/null
	rm -rf "$root"
fi
note "base image $BASE ready"

# ------------------------------------------------------------------ build ---
version=$(sed -n "s/^ *version *: *'\([^']*\)'.*/\1/p" meson.build | head -1)
if timeout 1800 buildah bud --pull=never --runtime runc --network host \
    --format docker --layers --force-rm \
    --build-arg "VERSION=${version:-0.0.0}" -f docker/Dockerfile -t "$IMAGE" \
    . >"$work/build.log" 2>&1; then
	pass "build: docker/Dockerfile built, unit tests passed in the build stage"
else
	tail -40 "$work/build.log"
	fail "build: docker/Dockerfile (log above)"
	finish
fi
note "built $IMAGE"
if [ "$BUILD_ONLY" = 1 ]; then
	echo "run it: podman run --rm -p 8080:8080 $IMAGE"
	finish
fi

# ------------------------------------------------------------------ image ---
size=$(podman image inspect --format '{{.Size}}' "$IMAGE")
mb=$(awk -v b="$size" 'BEGIN {printf "%.2f", b / 1000000}')
if [ "$size" -lt "$MAX_BYTES" ]; then
	pass "size: $mb MB (limit $((MAX_BYTES / 1000000)) MB)"
else
	fail "size: $mb MB, limit $((MAX_BYTES / 1000000)) MB"
fi

fmt='user={{.Config.User}} stop={{.Config.StopSignal}}'
fmt+=' ports={{json .Config.ExposedPorts}} volumes={{json .Config.Volumes}}'
fmt+=' env={{json .Config.Env}} health={{json .HealthCheck}}'
fmt+=' labels={{json .Labels}}'
cfg=$(podman image inspect --format "$fmt" "$IMAGE")
bad=()
want=('user=10001:10001' 'stop=SIGTERM' '"8080/tcp"' '"/data"'
	'WABA_EMU_BIND=0.0.0.0'
	'"Test":["CMD","/usr/local/bin/waba-emulator","--healthcheck"]'
	'"org.opencontainers.image.licenses":"MIT"'
	"\"org.opencontainers.image.version\":\"$version\""
	'"org.opencontainers.image.source":"'
	'"org.opencontainers.image.title":"waba-emulator"'
	'"org.opencontainers.image.description":"')
for w in "${want[@]}"; do
	[[ "$cfg" == *"$w"* ]] || bad+=("$w")
done
if [ ${#bad[@]} -eq 0 ]; then
	pass "config: USER 10001, EXPOSE 8080, /data, HEALTHCHECK, STOPSIGNAL," \
	    "OCI labels"
else
	echo "$cfg"
	fail "config: missing ${bad[*]}"
fi

# ---------------------------------------------------------------- helpers ---
# Starts a container publishing 8080 on a free loopback port; sets cid/port.
start() {
	local name=$1
	shift
	cid=$(pod run -d "${RUN_FLAGS[@]}" -p 127.0.0.1::8080 "$@" "$IMAGE" \
	    2>"$work/run.err") || {
		cat "$work/run.err"
		return 1
	}
	containers+=("$cid")
	port=$(podman port "$cid" 8080/tcp | head -1 | sed 's/.*://')
	echo "docker-test: started $name ${cid:0:12} on 127.0.0.1:$port"
}

# Runs the image's HEALTHCHECK until it passes, for at most 20 s.
healthy() {
	local deadline=$((SECONDS + 20))
	while [ "$SECONDS" -lt "$deadline" ]; do
		timeout 10 podman --runtime runc healthcheck run "$1" \
		    >/dev/null 2>&1 && return 0
		[ "$(podman inspect --format '{{.State.Running}}' "$1")" = true ] ||
			return 1
		sleep 0.2
	done
	return 1
}

# Sends SIGTERM (podman stop) and checks that the server exited 0 by itself
# rather than being killed when the 10 s grace period ran out; sets
# stop_ms.
stop_clean() {
	local t code
	t=$(date +%s%N)
	pod stop -t 10 "$1" >/dev/null
	stop_ms=$((($(date +%s%N) - t) / 1000000))
	code=$(podman inspect --format '{{.State.ExitCode}}' "$1")
	[ "$code" = 0 ] && [ "$stop_ms" -lt 9000 ]
}

# curl against the running container: sets status and body.
call() {
	local out
	out=$(curl -sS --max-time 5 -w '\n%{http_code}' "$@" 2>&1) || true
	status=${out##*$'\n'}
	body=${out%$'\n'*}
}

logs() { echo "--- logs of ${1:0:12}"; podman logs "$1" 2>&1 | tail -20; }

# -------------------------------------------------------------------- run ---
# The log is read whole before grep: with pipefail, grep -q leaving at
# the first match could make podman logs fail on a closed pipe.
if start default && healthy "$cid" &&
    grep -q 'waba-emulator listening on http://0.0.0.0:8080' \
	<<<"$(podman logs "$cid" 2>&1)"; then
	pass "health: listening on 0.0.0.0:8080; podman healthcheck run passed"
else
	logs "${cid:-}"
	fail "health: the container did not become healthy"
	finish
fi
a=$cid

# Graph calls from the host through the published port.
ok=1
call "http://127.0.0.1:$port/_emulator/health"
[ "$status" = 200 ] && [[ "$body" == *'"status":"ok"'* ]] || {
	ok=0
	echo "GET /_emulator/health -> $status $body"
}
call "http://127.0.0.1:$port/v24.0/$WABA?access_token=$TOKEN"
[ "$status" = 200 ] && [[ "$body" == *"\"id\":\"$WABA\""* ]] || {
	ok=0
	echo "GET /v24.0/$WABA -> $status $body"
}
call "http://127.0.0.1:$port/v24.0/$WABA?access_token=nope"
[ "$status" = 401 ] && [[ "$body" == *'"code":190'* ]] || {
	ok=0
	echo "GET /v24.0/$WABA with a bad token -> $status $body"
}
if [ "$ok" = 1 ]; then
	pass "graph: GET /v24.0/$WABA 200, bad token 401/190," \
	    "/_emulator/health 200 (host port $port)"
else
	fail "graph: calls through the published port"
fi

# The server process, seen from the host, runs as the image's user.
pid=$(podman inspect --format '{{.State.Pid}}' "$a")
uids=$(awk '/^Uid:/ {print $2, $3, $4, $5}' "/proc/$pid/status" 2>/dev/null)
user=$(podman inspect --format '{{.Config.User}}' "$a")
if [ "$uids" = "10001 10001 10001 10001" ] && [ "$user" = 10001:10001 ]; then
	pass "non-root: User $user, PID 1 has Uid $uids"
else
	fail "non-root: User '$user', PID 1 Uid '$uids'"
fi

if stop_clean "$a"; then
	pass "stop: SIGTERM, exit 0 after $stop_ms ms"
else
	logs "$a"
	fail "stop: exit code" \
	    "$(podman inspect --format '{{.State.ExitCode}}' "$a") after SIGTERM"
fi

# ---------------------------------------------------------------- webhook ---
# The binary loads libcurl on its first call out, so nothing before this
# needed it: a delivery to the container's own port must reach an answer
# (any HTTP status) rather than fail to load the library.
hook_ok=0
if start webhook -e WABA_EMU_WEBHOOK_URL=http://127.0.0.1:8080/_emulator/health &&
    healthy "$cid"; then
	e=$cid
	call -X POST "http://127.0.0.1:$port/_emulator/webhooks/events" \
	    -H 'Content-Type: application/json' \
	    -d "{\"field\":\"account_update\",\"waba\":\"$WABA\",\"value\":{\"event\":\"PARTNER_ADDED\"}}"
	fired="$status $body"
	for _ in $(seq 50); do
		call "http://127.0.0.1:$port/_emulator/webhooks"
		[[ "$body" == *'"attempts":[{'* ]] && break
		sleep 0.1
	done
	if [[ "$fired" == 200* ]] && [[ "$body" == *'"attempts":[{'* ]] &&
	    [[ "$body" != *'"status":0,'* ]] && [[ "$body" != *libcurl* ]]; then
		hook_ok=1
	else
		echo "POST /_emulator/webhooks/events -> $fired"
		echo "GET /_emulator/webhooks -> $status $body"
		logs "$e"
	fi
	stop_clean "$e" || true
else
	logs "${cid:-}"
fi
if [ "$hook_ok" = 1 ]; then
	pass "webhook: libcurl loads at the first delivery and the call is answered"
else
	fail "webhook: no delivery attempt was answered"
fi

# ------------------------------------------------------------ persistence ---
# State written by one container is read back by the next on the volume.
# The /data mount point is owned by the image user, and a fresh named
# volume takes over that owner.
vol=waba-emulator-test-$$
podman volume create "$vol" >/dev/null
volumes+=("$vol")
persist_ok=0
if start writer -v "$vol:/data" -e WABA_EMU_DB=/data/state.db &&
    healthy "$cid"; then
	b=$cid
	call -X POST "http://127.0.0.1:$port/v24.0/$WABA/assigned_users" \
	    --data-urlencode user=3000000000000004 \
	    --data-urlencode 'tasks=["VIEW_COST"]' \
	    --data-urlencode "access_token=$TOKEN"
	wrote="$status $body"
	stop_clean "$b" || { logs "$b"; echo "writer did not stop cleanly"; }
	if start reader -v "$vol:/data" -e WABA_EMU_DB=/data/state.db &&
	    healthy "$cid"; then
		c=$cid
		call "http://127.0.0.1:$port/v24.0/$WABA/assigned_users" -G \
		    --data-urlencode business=2000000000000001 \
		    --data-urlencode "access_token=$TOKEN"
		if [[ "$wrote" == 200* ]] && [ "$status" = 200 ] &&
		    [[ "$body" == *3000000000000004*VIEW_COST* ]]; then
			persist_ok=1
		else
			echo "POST assigned_users -> $wrote"
			echo "GET assigned_users after restart -> $status $body"
		fi
		stop_clean "$c" || { logs "$c"; persist_ok=0; }
	else
		logs "${cid:-}"
	fi
else
	logs "${cid:-}"
fi
if [ "$persist_ok" = 1 ]; then
	pass "persist: an assignment written before a restart is read back" \
	    "from the /data volume"
else
	fail "persist: state on the /data volume did not survive a restart"
fi

# ---------------------------------------------------------------- fixture ---
# The compose example's fixture file loads, mounted the way compose.yaml
# mounts it.
if start fixture -v "$PWD/docker/fixtures:/fixtures:ro" \
	-e WABA_EMU_FIXTURES=/fixtures/example.json && healthy "$cid"; then
	d=$cid
	call "http://127.0.0.1:$port/v24.0/$FX_WABA?access_token=$FX_TOKEN"
	if [ "$status" = 200 ] && [[ "$body" == *"\"id\":\"$FX_WABA\""* ]]; then
		pass "fixture: docker/fixtures/example.json loads; GET /v24.0/$FX_WABA 200"
	else
		echo "GET /v24.0/$FX_WABA -> $status $body"
		fail "fixture: docker/fixtures/example.json"
	fi
	stop_clean "$d" || true
else
	logs "${cid:-}"
	fail "fixture: docker/fixtures/example.json did not load"
fi

finish

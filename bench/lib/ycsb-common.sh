#!/usr/bin/env bash
# Shared by bench/ycsb-*.sh (source it): a JDK >= 21 for YCSB's JVM, a private copy of the
# anchors folder (shared/anchors is read-only), and ringkv's YCSB binding jar.
# Needs: $here (the checkout), $ANCHORS_DIR, $ANCHORS_COPY; defines say/die if the caller has not.

declare -F say >/dev/null || say() { echo "[ycsb $(date +%H:%M:%S)] $*" >&2; }
declare -F die >/dev/null || die() { echo "ycsb: $*" >&2; exit 1; }

java_feature() { "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1; }

# find_java: the first JDK >= 21 (RINGKV_JAVA, JAVA_HOME, java on PATH, /usr/lib/jvm/*): the binding
# is compiled for Java 21 while the machine's default java may be 17.
find_java() {
  local c v
  for c in ${RINGKV_JAVA:-} ${JAVA_HOME:+$JAVA_HOME/bin/java} "$(command -v java || true)" /usr/lib/jvm/*/bin/java; do
    [[ -x "$c" ]] || continue
    v=$(java_feature "$c"); [[ "${v:-0}" -ge 21 ]] 2>/dev/null && { echo "$c"; return; }
  done
  die "no JDK >= 21 found (set RINGKV_JAVA)"
}

# build_binding JAR: ringkv-ycsb's binding jar, built when missing or older than its sources.
build_binding() {
  local jar="$1"
  if [[ ! -f "$jar" || "${RINGKV_REBUILD:-0}" == 1 || -n "$(find "$here/ringkv-ycsb/src" "$here/ringkv-ycsb/pom.xml" \
        "$here/ringkv-client/src/main" "$here/ringkv-client/pom.xml" -newer "$jar" -print -quit)" ]]; then
    say "building $jar"
    (cd "$here" && mvn -B -ntp -q -pl ringkv-ycsb -am package -DskipTests) >&2 || die "build failed (see above)"
  fi
}

# copy_anchors JAR: refreshes $ANCHORS_COPY from $ANCHORS_DIR (scripts every run; YCSB's lib/ and
# target/ and Cassandra's jars kept), runs its YCSB setup and adds the binding jar.
copy_anchors() {
  [[ -f "$ANCHORS_DIR/ycsb/phases.sh" ]] || die "no anchors folder at $ANCHORS_DIR (set ANCHORS_DIR)"
  ANCHORS_DIR="$(cd "$ANCHORS_DIR" && pwd)"
  [[ "$ANCHORS_COPY" != "$ANCHORS_DIR" ]] || die "ANCHORS_COPY must not be the anchors folder itself"
  mkdir -p "$ANCHORS_COPY"
  tar -C "$ANCHORS_DIR" --exclude=./run --exclude=./results --exclude=./history --exclude=./ycsb/lib \
      --exclude=./ycsb/target --exclude=./cassandra/lib -cf - . | tar -C "$ANCHORS_COPY" -xf -
  "$ANCHORS_COPY/ycsb/setup.sh" >&2     # Maven Central: site.ycsb:core 0.17.0 and the anchors' connectors
  cp "$1" "$ANCHORS_COPY/ycsb/lib/ringkv-ycsb-binding.jar"
}

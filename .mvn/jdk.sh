# shellcheck shell=sh
# Sourced by ./mvnw, ./factum and .ci/run: points JAVA_HOME at a JDK >= 21.
# Keeps JAVA_HOME when it already names a JDK 21+; otherwise searches the usual install places
# (the default `java` on a machine may well be older) and stops with a clear message if none is found.
factum_jdk_major() {
  # prints the feature release of the JDK at $1 (e.g. 25), or nothing
  [ -x "$1/bin/javac" ] || return 0
  if [ -r "$1/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release")
  else
    v=$("$1/bin/javac" -version 2>&1 | sed -n 's/^javac \([0-9]*\).*/\1/p')
  fi
  printf %s "$v"
}
factum_pick_jdk() {
  if [ -n "${JAVA_HOME-}" ]; then
    m=$(factum_jdk_major "$JAVA_HOME")
    [ -n "$m" ] && [ "$m" -ge 21 ] && return 0
  fi
  best="" bestm=0 v="" m=""
  for d in /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk* /opt/*jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$d" ] || continue
    m=$(factum_jdk_major "$d")
    [ -n "$m" ] || continue
    if [ "$m" -ge 21 ] && [ "$m" -gt "$bestm" ]; then best=$d bestm=$m; fi
  done
  if [ -z "$best" ] && command -v javac >/dev/null 2>&1; then
    d=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    m=$(factum_jdk_major "$d")
    [ -n "$m" ] && [ "$m" -ge 21 ] && best=$d
  fi
  if [ -z "$best" ]; then
    echo "Factum needs a JDK 21 or newer, and none was found (JAVA_HOME='${JAVA_HOME-}', searched /usr/lib/jvm, /opt, ~/.sdkman, ~/.jdks)." >&2
    echo "Install one (e.g. 'apt-get install openjdk-21-jdk') or set JAVA_HOME to it." >&2
    exit 1
  fi
  JAVA_HOME=$best
  export JAVA_HOME
}
case $- in *f*) factum_noglob=1; set +f ;; *) factum_noglob= ;; esac
factum_pick_jdk
[ -z "$factum_noglob" ] || set -f

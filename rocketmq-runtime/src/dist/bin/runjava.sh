#!/bin/sh
# Runs a Java process of this RocketMQ distribution with its lib/ on the class path:
#
#   sh bin/runjava.sh ROLE MAIN [ARG...]
#
#   ROLE  namesrv | broker | proxy | tools: picks the default heap and the logging configuration
#   MAIN  a main class, or a .java source file (run by Java's source launcher against lib/)
#
# Environment:
#   JAVA_HOME      the Java 17+ installation to use (default: java on PATH)
#   ROCKETMQ_HEAP  heap size for -Xms/-Xmx (default: namesrv 256m, broker 512m, proxy 256m, tools 128m)
#   JAVA_OPT_EXT   more JVM options, split on blanks and placed after the defaults, for example
#                  "-Duser.home=/var/lib/rocketmq" (logs go to ~/logs/rocketmqlogs, the store to ~/store)
set -u

if [ $# -lt 2 ]; then
  echo "usage: sh bin/runjava.sh namesrv|broker|proxy|tools MAIN [ARG...]" >&2
  exit 2
fi
role=$1 main=$2
shift 2

ROCKETMQ_HOME=$(cd "$(dirname "$0")/.." && pwd -P) || exit 1
export ROCKETMQ_HOME

if [ -n "${JAVA_HOME:-}" ]; then
  JAVA=$JAVA_HOME/bin/java
else
  JAVA=java
fi
if ! command -v "$JAVA" >/dev/null 2>&1; then
  echo "no Java found: install Java 17 or newer, or set JAVA_HOME to its installation directory" >&2
  exit 1
fi

case $role in
  namesrv)
    heap=${ROCKETMQ_HEAP:-256m}
    memory="-Xms$heap -Xmx$heap" ;;
  broker)
    heap=${ROCKETMQ_HEAP:-512m}
    memory="-Xms$heap -Xmx$heap -XX:MaxDirectMemorySize=$heap" ;;
  proxy)
    heap=${ROCKETMQ_HEAP:-256m}
    memory="-Xms$heap -Xmx$heap" ;;
  tools)
    heap=${ROCKETMQ_HEAP:-128m}
    # a short-lived command: start fast rather than run long
    memory="-Xmx$heap -XX:+UseSerialGC -XX:TieredStopAtLevel=1" ;;
  *)
    echo "unknown role \"$role\": use namesrv, broker, proxy or tools" >&2
    exit 2 ;;
esac

# RocketMQ 5.x: its logging configuration is a resource in its jars, one per process kind.
logging="-Drmq.logback.configurationFile=rmq.$role.logback.xml"
# RocketMQ 4.x reads conf/logback_<role>.xml itself once started; naming it here also covers what is logged before.
if [ -f "$ROCKETMQ_HOME/conf/logback_$role.xml" ]; then
  logging="$logging -Dlogback.configurationFile=$ROCKETMQ_HOME/conf/logback_$role.xml"
fi

# The --add-opens let RocketMQ 4.x unmap its memory-mapped files on Java 17 (5.x does not need them; they do no harm).
set -f
# shellcheck disable=SC2086 # word splitting of the option lists is intended
exec "$JAVA" $memory \
  --add-opens=java.base/java.nio=ALL-UNNAMED \
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED \
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
  -Drocketmq.home.dir="$ROCKETMQ_HOME" \
  $logging \
  ${JAVA_OPT_EXT:-} \
  -cp "$ROCKETMQ_HOME/lib/*" \
  "$main" "$@"

#!/bin/sh
# Runs a main class or a .java source file with this distribution's lib/: sh bin/tools.sh MAIN [ARG...]
# (see bin/runjava.sh for JAVA_HOME, ROCKETMQ_HEAP and JAVA_OPT_EXT)
exec sh "$(dirname "$0")/runjava.sh" tools "$@"

#!/usr/bin/env bash
# "Command two": installs and starts the local servers, then runs every test in Referrals.sln.
#
#   deploy/local/test.sh                run the suite once
#   deploy/local/test.sh --after-kill   run it, kill -9 both shared servers, `infra.sh start` again, and run it
#                                       again (proves recovery; never use while other test runs share the servers)
#
# Other engineers add their steps (npm installs, chromium, ...) in the "prerequisites" section.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
readonly INFRA=deploy/local/infra.sh
readonly LOG_DIR=TestResults
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '[test] %s\n' "$*" >&2; }

usage() {
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

after_kill=0
for arg in "$@"; do
  case $arg in
    --after-kill) after_kill=1 ;;
    -h | --help) usage ;;
    *)
      log "unknown argument: $arg"
      usage
      ;;
  esac
done

# apt-get install, refreshing the package lists only if the install fails without a refresh.
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  local opts=(-y -q -o DPkg::Lock::Timeout=600 --no-install-recommends)
  apt-get install "${opts[@]}" "$@" || { apt-get update -q && apt-get install "${opts[@]}" "$@"; }
}

# --- prerequisites -----------------------------------------------------------------------------
"$INFRA" install
# ComposeFileTests parse docker-compose.yml with PyYAML.
if ! /usr/bin/python3 -c 'import yaml' >/dev/null 2>&1; then
  log "installing python3-yaml"
  apt_install python3-yaml
fi
# The web app's browser tests drive Debian's Chromium (headless); Liberation fonts stand in for Arial.
if [[ ! -x /usr/bin/chromium ]] || ! fc-list 2>/dev/null | grep -qi liberation; then
  log "installing chromium and fonts-liberation"
  apt_install chromium fonts-liberation
fi

# --- servers -----------------------------------------------------------------------------------
"$INFRA" start
eval "$("$INFRA" env)"
export REFERRALS_TEST_POSTGRES REFERRALS_TEST_RABBITMQ REFERRALS_TEST_RABBITMQ_MANAGEMENT

# --- tests -------------------------------------------------------------------------------------
mkdir -p "$LOG_DIR"
total_passed=0 total_failed=0 total_skipped=0
logs=()

# The test projects, longest first (measured in the suite's own runs), so that the longest start at once; any project not
# named here runs after them.
readonly LONGEST_FIRST=(WebApp EndToEnd Triage GpRecords SupportPlan Intake Platform DataProtection ServiceDefaults EventStore Fhir ClinicalSafety)
# How many test projects run at once: two on this 2-core machine. With three, the browser suite (the longest) ran
# 12 minutes instead of 5, and the whole suite took longer than one project after another.
readonly PARALLEL=${REFERRALS_TEST_PARALLEL:-2}
# The tests start the services, the web app and their own hosts as short-lived processes, over and over. The services are
# built to compile each method optimised once (no quick JIT: Directory.Build.props, chosen for a service that runs for days);
# for a process that lives seconds that makes starting it the cost. Quick JIT for the test run only (the test hosts and every
# process they start inherit it) used a fifth less CPU on a startup-bound set of web app tests; it changes no behaviour.
export DOTNET_TC_QuickJit=${DOTNET_TC_QuickJit:-1}

test_projects() {
  local name project
  local -a listed
  mapfile -t listed < <(dotnet sln Referrals.sln list | grep -E '^tests/[^/]+/[^/]+\.Tests\.csproj$')
  for name in "${LONGEST_FIRST[@]}"; do
    project="tests/Referrals.$name.Tests/Referrals.$name.Tests.csproj"
    [[ " ${listed[*]} " == *" $project "* ]] && echo "$project"
  done
  for project in "${listed[@]}"; do
    name=${project#tests/Referrals.}
    name=${name%%.Tests/*}
    [[ " ${LONGEST_FIRST[*]} " == *" $name "* ]] || echo "$project"
  done
}

# Builds the solution once (unless --no-build is given), then runs every test project, $PARALLEL at a time, each with its
# output in $LOG_DIR/<name>/<project>.log (printed whole as it ends), and adds its summary line to the totals.
run_suite() {
  local name=$1 rc=0 project out line passed failed skipped pid finished=0
  shift
  mkdir -p "$LOG_DIR/$name"
  if [[ " $* " != *" --no-build "* ]]; then
    log "dotnet build ($name)"
    if ! dotnet build Referrals.sln -c Release >"$LOG_DIR/$name/build.log" 2>&1; then
      grep -E ': error ' "$LOG_DIR/$name/build.log" | sort -u || tail -n 40 "$LOG_DIR/$name/build.log"
      log "build failed (whole output: $LOG_DIR/$name/build.log)"
      build_failed=1
      return 1
    fi
    grep -E '^Time Elapsed' "$LOG_DIR/$name/build.log" || true
  fi
  local -a projects
  local -A log_of=()
  mapfile -t projects < <(test_projects)
  log "dotnet test ($name): ${#projects[@]} projects, $PARALLEL at a time"
  # Prints a finished project's log whole (so that parallel outputs do not interleave) and notes a failure.
  finish_one() {
    local code=0 done_pid
    wait -n -p done_pid || code=$?
    cat "${log_of[$done_pid]}"
    ((code == 0)) || rc=1
  }
  for project in "${projects[@]}"; do
    ((${#log_of[@]} - finished < PARALLEL)) || { finish_one; finished=$((finished + 1)); }
    out=$LOG_DIR/$name/$(basename "$project" .csproj).log
    logs+=("$out")
    dotnet test "$project" -c Release --no-build --blame-hang-timeout 15m --blame-hang-dump-type none >"$out" 2>&1 &
    log_of[$!]=$out
  done
  while ((finished < ${#log_of[@]})); do
    finish_one
    finished=$((finished + 1))
  done
  for pid in "${!log_of[@]}"; do
    while IFS= read -r line; do
      [[ $line =~ Failed:\ +([0-9]+),\ Passed:\ +([0-9]+),\ Skipped:\ +([0-9]+) ]] || continue
      failed=${BASH_REMATCH[1]} passed=${BASH_REMATCH[2]} skipped=${BASH_REMATCH[3]}
      total_passed=$((total_passed + passed))
      total_failed=$((total_failed + failed))
      total_skipped=$((total_skipped + skipped))
    done < <(grep -E '^(Passed|Failed)! +- ' "${log_of[$pid]}" || true)
  done
  return "$rc"
}

status=0 build_failed=0
run_suite first || status=$?

if ((after_kill && !build_failed)); then
  log "killing both servers with SIGKILL, then infra.sh start"
  pids=$("$INFRA" status | sed -n 's/^\(postgres\|rabbitmq\): running pid=\([0-9]*\).*/\2/p') || true
  for pid in $pids; do
    kill -9 "$pid"
  done
  for _ in {1..50}; do
    [[ $("$INFRA" status | grep -c ': stopped') == 2 ]] && break
    sleep 0.2
  done
  "$INFRA" status || true
  "$INFRA" start
  run_suite after-kill --no-build || status=$?
fi

echo "Assemblies:"
if ((${#logs[@]} == 0)) || ! grep -hE '^(Passed|Failed)! +- ' "${logs[@]}" | sed 's/^/  /'; then
  echo "  (no test summary found${logs[*]:+: see ${logs[*]}})"
fi
echo "Tests: $total_passed passed, $total_failed failed, $total_skipped skipped"
if ((status != 0 || total_failed != 0)); then
  echo "Result: FAILED (exit $status)"
  exit 1
fi
if ((total_passed == 0)); then
  echo "Result: FAILED (no test ran)"
  exit 1
fi
echo "Result: passed"

#!/usr/bin/env bash
# "Command one": brings the whole platform up on this machine and keeps it up until Ctrl+C.
#
#   deploy/local/run.sh            infrastructure, topology, then the four services
#   deploy/local/run.sh --demo     the same, then walks one realistic referral through the platform and prints each step
#   deploy/local/run.sh --demo --exit   run the demo and stop everything afterwards (used by the tests)
#   --no-build                          use the Release binaries already built
#
# Services listen on 127.0.0.1: intake 5101, triage 5102, support-plan 5103, gp-records 5104 (web app 5100 when built);
# REFERRALS_PORT_OFFSET shifts them all (the tests run a second copy that way).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
readonly INFRA=deploy/local/infra.sh
readonly STATE_DIR=${REFERRALS_STATE_DIR:-/var/tmp/referrals-local}
readonly LOG_DIR=$STATE_DIR/logs
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

demo=0 exit_after=0 build=1
for arg in "$@"; do
  case $arg in
    --demo) demo=1 ;;
    --exit) exit_after=1 ;;
    --no-build) build=0 ;;
    -h | --help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

say() { printf '[run] %s\n' "$*"; }

readonly OFFSET=${REFERRALS_PORT_OFFSET:-0}
port() { echo $(($1 + OFFSET)); }

# name:project folder:port
SERVICES=(intake:Intake:$(port 5101) triage:Triage:$(port 5102) support-plan:SupportPlan:$(port 5103) gp-records:GpRecords:$(port 5104))
if [[ -d services/WebApp ]]; then
  SERVICES+=(web-app:WebApp:$(port 5100))
fi
export REFERRALS_INTAKE_URL=http://127.0.0.1:$(port 5101) REFERRALS_TRIAGE_URL=http://127.0.0.1:$(port 5102)
export REFERRALS_SUPPORT_PLAN_URL=http://127.0.0.1:$(port 5103) REFERRALS_GP_RECORDS_URL=http://127.0.0.1:$(port 5104)
export REFERRALS_PRACTICE_URL=http://127.0.0.1:$(port 5199)
export Services__Intake=$REFERRALS_INTAKE_URL Services__Triage=$REFERRALS_TRIAGE_URL
export Services__SupportPlan=$REFERRALS_SUPPORT_PLAN_URL Services__GpRecords=$REFERRALS_GP_RECORDS_URL

say "starting PostgreSQL and RabbitMQ"
"$INFRA" install >/dev/null
"$INFRA" start
eval "$("$INFRA" env)"

if ((build)); then
  say "building (Release)"
  projects=(deploy/Referrals.Deploy/Referrals.Deploy.csproj)
  for entry in "${SERVICES[@]}"; do
    IFS=: read -r _ folder _ <<<"$entry"
    projects+=("services/$folder/Referrals.$folder.csproj")
  done
  mkdir -p "$LOG_DIR"
  for project in "${projects[@]}"; do
    # No build servers: they would outlive this script holding its output open.
    dotnet build -c Release -v quiet -nologo --disable-build-servers "$project" >"$LOG_DIR/build.log" 2>&1 ||
      { cat "$LOG_DIR/build.log"; exit 1; }
  done
fi

export ConnectionStrings__Postgres=$REFERRALS_TEST_POSTGRES
export ConnectionStrings__RabbitMq=$REFERRALS_TEST_RABBITMQ
export ASPNETCORE_ENVIRONMENT=Development

say "deploying the broker topology"
dotnet deploy/Referrals.Deploy/bin/Release/net10.0/Referrals.Deploy.dll topology

mkdir -p "$LOG_DIR"
pids=()

# A stand-in clinical system for the development practices, so coded records have somewhere to go.
readonly PRACTICE_PORT=$(port 5199)
dotnet deploy/Referrals.Deploy/bin/Release/net10.0/Referrals.Deploy.dll practice --port "$PRACTICE_PORT" >"$LOG_DIR/practice.log" 2>&1 &
pids+=($!)
for ods in B86001 B86002 B86003 B86004 B83001; do
  export "GpRecords__Practices__${ods}__FhirBaseUrl=http://127.0.0.1:$PRACTICE_PORT/$ods/fhir"
done
stop_all() {
  trap - INT TERM EXIT
  say "stopping services"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 50); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.2
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
}
trap stop_all INT TERM EXIT

for entry in "${SERVICES[@]}"; do
  IFS=: read -r name folder port <<<"$entry"
  ASPNETCORE_URLS="http://127.0.0.1:$port" OTEL_SERVICE_NAME=$name \
    dotnet "services/$folder/bin/Release/net10.0/Referrals.$folder.dll" --contentRoot "$PWD/services/$folder" \
    >"$LOG_DIR/$name.log" 2>&1 &
  pids+=($!)
done

say "waiting for every service to be ready"
deadline=$((SECONDS + 60))
for entry in "${SERVICES[@]}"; do
  IFS=: read -r name _ port <<<"$entry"
  until curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; do
    if ((SECONDS > deadline)); then
      say "$name did not become ready within 60 s; see $LOG_DIR/$name.log"
      exit 1
    fi
    sleep 0.5
  done
  say "$name ready on http://127.0.0.1:$port"
done

token_cmd="dotnet deploy/Referrals.Deploy/bin/Release/net10.0/Referrals.Deploy.dll token --role referrer --ods B86001"
cat <<EOT

The platform is up.
  web app       http://127.0.0.1:$(port 5100)   (link workers and team leads; development sign-in at /sign-in)
  intake        $REFERRALS_INTAKE_URL   (OpenAPI: /openapi/v1.json)
  triage        $REFERRALS_TRIAGE_URL
  support-plan  $REFERRALS_SUPPORT_PLAN_URL
  gp-records    $REFERRALS_GP_RECORDS_URL   (FHIR: /fhir/metadata)
  RabbitMQ UI   http://127.0.0.1:55673  (referrals / referrals)
  Practices     $REFERRALS_PRACTICE_URL/<ods>/fhir  (stand-in GP systems for B86001-B86004, B83001)
  Logs          $LOG_DIR

Get a development token for a GP practice referrer:
  TOKEN=\$($token_cmd)

Submit a first referral:
  curl -sS -X POST $REFERRALS_INTAKE_URL/referrals -H "Authorization: Bearer \$TOKEN" \\
       -H 'Content-Type: application/json' -H "Idempotency-Key: \$(uuidgen || date +%s%N)" \\
       --data @deploy/local/sample-referral.json -i

Press Ctrl+C to stop.
EOT

if ((demo)); then
  dotnet deploy/Referrals.Deploy/bin/Release/net10.0/Referrals.Deploy.dll demo
  if ((exit_after)); then
    exit 0
  fi
fi

wait -n "${pids[@]}" || true
say "a service stopped; see $LOG_DIR"

#!/usr/bin/env bash
# "Command one": brings the whole platform up on this machine and keeps it up until Ctrl+C.
#
#   deploy/local/run.sh            infrastructure, topology, then the four services
#   deploy/local/run.sh --demo     the same, then walks one realistic referral through the platform and prints each step
#   deploy/local/run.sh --demo --exit   run the demo and stop everything afterwards (used by the tests)
#
# Services listen on 127.0.0.1: intake 5101, triage 5102, support-plan 5103, gp-records 5104 (web app 5100 when built).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
readonly INFRA=deploy/local/infra.sh
readonly STATE_DIR=${REFERRALS_STATE_DIR:-/var/tmp/referrals-local}
readonly LOG_DIR=$STATE_DIR/logs
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

demo=0 exit_after=0
for arg in "$@"; do
  case $arg in
    --demo) demo=1 ;;
    --exit) exit_after=1 ;;
    -h | --help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

say() { printf '[run] %s\n' "$*"; }

# name:project folder:port
SERVICES=(intake:Intake:5101 triage:Triage:5102 support-plan:SupportPlan:5103 gp-records:GpRecords:5104)
if [[ -d services/WebApp ]]; then
  SERVICES+=(web-app:WebApp:5100)
fi

say "starting PostgreSQL and RabbitMQ"
"$INFRA" install >/dev/null
"$INFRA" start
eval "$("$INFRA" env)"

say "building (Release)"
projects=(deploy/Referrals.Deploy/Referrals.Deploy.csproj)
for entry in "${SERVICES[@]}"; do
  IFS=: read -r _ folder _ <<<"$entry"
  projects+=("services/$folder/Referrals.$folder.csproj")
done
for project in "${projects[@]}"; do
  dotnet build -c Release -v quiet -nologo "$project" >/dev/null
done

export ConnectionStrings__Postgres=$REFERRALS_TEST_POSTGRES
export ConnectionStrings__RabbitMq=$REFERRALS_TEST_RABBITMQ
export ASPNETCORE_ENVIRONMENT=Development

say "deploying the broker topology"
dotnet deploy/Referrals.Deploy/bin/Release/net10.0/Referrals.Deploy.dll topology

mkdir -p "$LOG_DIR"
pids=()

# A stand-in clinical system for the development practices, so coded records have somewhere to go.
readonly PRACTICE_PORT=5199
dotnet deploy/Referrals.Deploy/bin/Release/net10.0/Referrals.Deploy.dll practice --port "$PRACTICE_PORT" >"$LOG_DIR/practice.log" 2>&1 &
pids+=($!)
for ods in B86001 B86002 B86003 B86004 B83001; do
  export "GpRecords__Practices__${ods}__FhirBaseUrl=http://127.0.0.1:$PRACTICE_PORT/$ods/fhir"
done
stop_all() {
  trap - INT TERM EXIT
  say "stopping services"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
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
  intake        http://127.0.0.1:5101   (OpenAPI: /openapi/v1.json)
  triage        http://127.0.0.1:5102
  support-plan  http://127.0.0.1:5103
  gp-records    http://127.0.0.1:5104   (FHIR: /fhir/metadata)
  RabbitMQ UI   http://127.0.0.1:55673  (referrals / referrals)
  Practices     http://127.0.0.1:5199/<ods>/fhir  (stand-in GP systems for B86001-B86004, B83001)
  Logs          $LOG_DIR

Get a development token for a GP practice referrer:
  TOKEN=\$($token_cmd)

Submit a first referral:
  curl -sS -X POST http://127.0.0.1:5101/referrals -H "Authorization: Bearer \$TOKEN" \\
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

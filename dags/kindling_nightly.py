"""Kindling's nightly training pipeline as an Airflow DAG: one spark-submit per stage.

The stages, their order, main class and arguments come from ``kindling_stages.json`` beside
this file, the checked-in output of ``bin/kindling dag-spec``; a Java test holds the two equal,
so the DAG cannot drift from the code. Every stage is idempotent for its ``--run-date``, so
retries and re-runs of a date are safe.

Nothing at parse time reads Airflow Variables, the network or the cluster: the jar, the config
file, the Spark connection and the Spark conf are Jinja templates that Airflow renders when a
task runs, from the Variables below with the DAG params as defaults.

Airflow Variables (all optional):

- ``kindling_jar``: the shaded jar (``pipelines/target/kindling.jar``) as spark-submit sees it,
  e.g. ``s3a://bucket/kindling/kindling.jar`` or a path on the Airflow workers.
- ``kindling_config``: the HOCON config file passed as ``--config`` (default
  ``conf/cluster.conf``; a path the driver can read).
- ``kindling_spark_conf``: JSON object of Spark conf for every stage, merged over the
  ``spark_conf`` param (spark-submit time settings such as executor memory; the rest can live
  in the HOCON config's ``spark.conf``).

The Airflow connection ``spark_default`` names the master and deploy mode.
- ``kindling_raw_events``: the raw events table the sensor watches; the DAG waits for
  ``<kindling_raw_events>/dt=<ds>``.

Exit codes of a stage: 0 done, 1 failed with a reason on stderr (bad input or config; a retry
will not help until it is fixed), 2 a usage error, 3 an unexpected failure.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.sensors.filesystem import FileSensor

DAG_ID = "kindling_nightly"

STAGES_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kindling_stages.json")

# The stage spec's format this DAG understands (DagSpec.FORMAT_VERSION in the code).
STAGES_FORMAT_VERSION = 1

# Whether Airflow schedules the runs missed since START_DATE. Set through the scheduler's
# environment (KINDLING_DAG_CATCHUP=true), which parsing may read, unlike a Variable.
CATCHUP = os.environ.get("KINDLING_DAG_CATCHUP", "false").lower() == "true"

START_DATE = datetime(2024, 1, 1)

SENSOR_TASK_ID = "wait_for_raw_events"

SPARK_CONN_ID = "spark_default"


def load_stages(path: str = STAGES_FILE) -> list[dict]:
    """The stages of kindling_stages.json, in order; a clear error when the file is unusable."""
    with open(path, encoding="utf-8") as f:
        spec = json.load(f)
    version = spec.get("format_version")
    if version != STAGES_FORMAT_VERSION:
        raise ValueError(
            f"{path} has format_version {version!r}, this DAG reads {STAGES_FORMAT_VERSION}; "
            "regenerate it with the jar this DAG deploys: bin/kindling dag-spec > "
            "dags/kindling_stages.json"
        )
    stages = spec["stages"]
    if not stages:
        raise ValueError(f"{path} lists no stages")
    return stages


def _variable(name: str, default_param: str) -> str:
    """A template that reads Variable ``name`` at run time, else the DAG param."""
    return "{{ var.value.get('" + name + "', params." + default_param + ") }}"


default_args = {
    "owner": "kindling",
    "depends_on_past": False,
    # A stage that fails transiently (lost executor, object-store hiccup) is retried with
    # growing pauses; a stage is idempotent for its run date, so a retry cannot double data.
    "retries": 3,
    "retry_delay": timedelta(minutes=5),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(hours=1),
    # The night's policy should be published before the morning's serving reload.
    "sla": timedelta(hours=6),
}

with DAG(
    dag_id=DAG_ID,
    description="Kindling nightly: validate, features, replay, train, evaluate, "
    "score-cold-start, allocate, publish; one spark-submit per stage",
    schedule="@daily",
    start_date=START_DATE,
    catchup=CATCHUP,
    max_active_runs=1,
    default_args=default_args,
    tags=["kindling", "recsys", "spark", "reinforcement-learning"],
    params={
        "jar": "pipelines/target/kindling.jar",
        "config": "conf/cluster.conf",
        "raw_events": "lakehouse/raw/events",
        "spark_conf": {},
    },
    # conf renders to a dict (params.spark_conf merged with the kindling_spark_conf Variable);
    # the other fields render to strings (a date or a path is not a Python literal).
    render_template_as_native_obj=True,
) as dag:
    wait_for_raw_events = FileSensor(
        task_id=SENSOR_TASK_ID,
        filepath=_variable("kindling_raw_events", "raw_events") + "/dt={{ ds }}",
        fs_conn_id="fs_default",
        mode="reschedule",
        poke_interval=int(timedelta(minutes=10).total_seconds()),
        timeout=int(timedelta(hours=12).total_seconds()),
        retries=0,
    )

    previous = wait_for_raw_events
    for stage in load_stages():
        task = SparkSubmitOperator(
            task_id=stage["task_id"],
            # The Airflow connection holds the master (yarn, k8s://..., spark://...) and deploy
            # mode; it is read when the task runs.
            conn_id=SPARK_CONN_ID,
            java_class=stage["java_class"],
            application=_variable("kindling_jar", "jar"),
            application_args=list(stage["application_args"])
            + ["--config", _variable("kindling_config", "config")],
            conf="{{ dict(params.spark_conf, **var.json.get('kindling_spark_conf', {})) }}",
            name="kindling-" + stage["task_id"] + "-{{ ds }}",
            verbose=False,
        )
        previous >> task
        previous = task

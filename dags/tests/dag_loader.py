"""Imports kindling_nightly.py against the Airflow stand-in in airflow_stub/."""

from __future__ import annotations

import importlib
import os
import sys

sys.dont_write_bytecode = True

TESTS = os.path.dirname(os.path.abspath(__file__))
DAGS = os.path.dirname(TESTS)
DAG_FILE = os.path.join(DAGS, "kindling_nightly.py")
STAGES_FILE = os.path.join(DAGS, "kindling_stages.json")

for path in (os.path.join(TESTS, "airflow_stub"), DAGS):
    if path not in sys.path:
        sys.path.insert(0, path)


def load():
    """The DAG module, imported fresh."""
    sys.modules.pop("kindling_nightly", None)
    return importlib.import_module("kindling_nightly")


def rendered_stages(
    module,
    ds: str,
    variables: dict | None = None,
    master: str = "yarn",
    deploy_mode: str | None = None,
) -> list[dict]:
    """Each stage task in graph order, with its fields rendered for the run of date ``ds``, and
    the spark-submit argv the operator runs with a connection of ``master`` and ``deploy_mode``
    (the connection's default master is yarn)."""
    dag = module.dag
    order = []
    task_id = module.SENSOR_TASK_ID
    while True:
        downstream = sorted(dag.task_dict[task_id].downstream_task_ids)
        if not downstream:
            break
        if len(downstream) != 1:
            raise AssertionError(f"{task_id} fans out to {downstream}; the DAG is a chain")
        task_id = downstream[0]
        order.append(task_id)
    stages = []
    for task_id in order:
        task = dag.task_dict[task_id]
        fields = dag.render(task_id, ds, variables)
        stages.append(
            {
                "task_id": task_id,
                "java_class": task.java_class,
                "conn_id": task.conn_id,
                "application": fields["application"],
                "application_args": fields["application_args"],
                "conf": fields["conf"],
                "name": fields["name"],
                "spark_submit": task.spark_submit_command(fields, master, deploy_mode),
            }
        )
    return stages

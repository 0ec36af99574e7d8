"""Tests of dags/kindling_nightly.py without Airflow: run with python3 dags/tests/test_kindling_nightly.py
(DagSpecTest runs them in the Maven build)."""

from __future__ import annotations

import json
import os
import py_compile
import tempfile
import unittest
from datetime import datetime, timedelta

import dag_loader

DAY = "2024-01-07"


class KindlingNightlyDagTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        from airflow.models import Variable

        Variable.reads = 0
        cls.module = dag_loader.load()
        cls.dag = cls.module.dag
        cls.variable_reads_at_import = Variable.reads
        with open(dag_loader.STAGES_FILE, encoding="utf-8") as f:
            cls.spec = json.load(f)

    def test_file_compiles(self):
        with tempfile.TemporaryDirectory() as scratch:
            py_compile.compile(
                dag_loader.DAG_FILE, cfile=os.path.join(scratch, "dag.pyc"), doraise=True
            )

    def test_dag_arguments(self):
        dag = self.dag
        self.assertEqual(dag.dag_id, "kindling_nightly")
        self.assertEqual(dag.dag_id, self.module.DAG_ID)
        self.assertEqual(dag.start_date, datetime(2024, 1, 1), "a fixed start date, not now()")
        self.assertEqual(dag.max_active_runs, 1)
        self.assertFalse(dag.catchup, "catchup is off unless KINDLING_DAG_CATCHUP=true")
        self.assertIn("kindling", dag.tags)
        self.assertEqual(dag.schedule, "@daily")

    def test_catchup_is_configurable(self):
        os.environ["KINDLING_DAG_CATCHUP"] = "true"
        try:
            self.assertTrue(dag_loader.load().dag.catchup)
        finally:
            del os.environ["KINDLING_DAG_CATCHUP"]
            dag_loader.load()

    def test_parsing_reads_no_variable(self):
        self.assertEqual(self.variable_reads_at_import, 0)

    def test_tasks_are_the_sensor_then_the_stages_in_order(self):
        # The spec's stages are NightlyJob.STAGES (DagSpecTest); here the DAG must follow the spec.
        stage_ids = [s["task_id"] for s in self.spec["stages"]]
        self.assertGreaterEqual(len(stage_ids), 8)
        rendered = dag_loader.rendered_stages(self.module, DAY)
        self.assertEqual([t["task_id"] for t in rendered], stage_ids)
        self.assertEqual(
            sorted(self.dag.task_dict), sorted(stage_ids + [self.module.SENSOR_TASK_ID])
        )
        sensor = self.dag.task_dict[self.module.SENSOR_TASK_ID]
        self.assertEqual(sensor.upstream_task_ids, set(), "the sensor runs first")
        self.assertEqual(self.dag.task_dict["publish"].downstream_task_ids, set())

    def test_rendered_commands_for_a_date(self):
        rendered = dag_loader.rendered_stages(self.module, DAY)
        for task, stage in zip(rendered, self.spec["stages"]):
            with self.subTest(task=task["task_id"]):
                self.assertEqual(task["java_class"], "dev.kindling.pipelines.cli.KindlingCli")
                self.assertEqual(task["java_class"], stage["java_class"])
                self.assertEqual(
                    task["application_args"],
                    [stage["task_id"], "--run-date", DAY, "--config", "conf/cluster.conf"],
                )
                self.assertTrue(
                    all(isinstance(a, str) for a in task["application_args"]),
                    "native rendering must leave every argument a string",
                )
                self.assertEqual(task["application"], "pipelines/target/kindling.jar")
                self.assertEqual(task["conf"], {})
                self.assertEqual(task["name"], f"kindling-{stage['task_id']}-{DAY}")
                self.assertEqual(task["conn_id"], "spark_default")

    def test_variables_override_the_params_at_run_time(self):
        variables = {
            "kindling_jar": "s3a://bucket/kindling/kindling.jar",
            "kindling_config": "/etc/kindling/cluster.conf",
            "kindling_spark_conf": json.dumps(
                {"spark.executor.memory": "12g", "spark.executor.instances": "20"}
            ),
        }
        # A date whose text is also a Python expression (2024 - 11 - 23) stays a string.
        for ds in ("2024-11-23", "2025-10-10"):
            task = dag_loader.rendered_stages(self.module, ds, variables)[4]
            self.assertEqual(task["task_id"], "train")
            self.assertEqual(task["application"], "s3a://bucket/kindling/kindling.jar")
            self.assertEqual(
                task["application_args"],
                ["train", "--run-date", ds, "--config", "/etc/kindling/cluster.conf"],
            )
            self.assertEqual(
                task["conf"],
                {"spark.executor.memory": "12g", "spark.executor.instances": "20"},
            )

    def test_spark_submit_command_as_the_hook_builds_it(self):
        variables = {"kindling_spark_conf": json.dumps({"spark.executor.memory": "12g"})}
        task = dag_loader.rendered_stages(self.module, DAY, variables, "yarn", "cluster")[0]
        self.assertEqual(
            task["spark_submit"],
            [
                "spark-submit",
                "--master",
                "yarn",
                "--conf",
                "spark.executor.memory=12g",
                "--name",
                f"kindling-validate-{DAY}",
                "--class",
                "dev.kindling.pipelines.cli.KindlingCli",
                "--deploy-mode",
                "cluster",
                "pipelines/target/kindling.jar",
                "validate",
                "--run-date",
                DAY,
                "--config",
                "conf/cluster.conf",
            ],
        )

    def test_sensor_waits_for_the_days_raw_events(self):
        fields = self.dag.render(self.module.SENSOR_TASK_ID, DAY)
        self.assertEqual(fields["filepath"], f"lakehouse/raw/events/dt={DAY}")
        fields = self.dag.render(
            self.module.SENSOR_TASK_ID, DAY, {"kindling_raw_events": "/data/raw/events"}
        )
        self.assertEqual(fields["filepath"], f"/data/raw/events/dt={DAY}")
        sensor = self.dag.task_dict[self.module.SENSOR_TASK_ID]
        self.assertEqual(sensor.mode, "reschedule", "a waiting sensor must not hold a worker slot")

    def test_retries_back_off_and_an_sla_is_set(self):
        for task in self.dag.tasks:
            if task.task_id == self.module.SENSOR_TASK_ID:
                continue
            with self.subTest(task=task.task_id):
                self.assertGreaterEqual(task.retries, 1)
                self.assertTrue(task.retry_exponential_backoff)
                self.assertGreater(task.max_retry_delay, task.retry_delay)
                self.assertIsInstance(task.sla, timedelta)

    def test_a_spec_of_another_format_is_refused_with_the_fix(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump({"format_version": 2, "stages": []}, f)
        try:
            with self.assertRaisesRegex(ValueError, "bin/kindling dag-spec"):
                self.module.load_stages(f.name)
        finally:
            os.unlink(f.name)


if __name__ == "__main__":
    unittest.main(verbosity=2)

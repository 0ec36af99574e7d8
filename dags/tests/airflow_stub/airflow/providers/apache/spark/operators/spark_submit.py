from __future__ import annotations

from airflow._stub import BaseOperator


class SparkSubmitOperator(BaseOperator):
    """The provider's operator: its arguments and template fields (provider 4.x/5.x)."""

    template_fields = (
        "application",
        "conf",
        "files",
        "py_files",
        "jars",
        "driver_class_path",
        "packages",
        "exclude_packages",
        "keytab",
        "principal",
        "proxy_user",
        "name",
        "application_args",
        "env_vars",
        "properties_file",
    )
    own_arguments = frozenset(
        {
            "application",
            "conf",
            "conn_id",
            "files",
            "py_files",
            "archives",
            "driver_class_path",
            "jars",
            "java_class",
            "packages",
            "exclude_packages",
            "repositories",
            "total_executor_cores",
            "executor_cores",
            "executor_memory",
            "driver_memory",
            "keytab",
            "principal",
            "proxy_user",
            "name",
            "num_executors",
            "status_poll_interval",
            "application_args",
            "env_vars",
            "verbose",
            "spark_binary",
            "properties_file",
            "yarn_queue",
            "deploy_mode",
            "use_krb5ccache",
        }
    )

    def spark_submit_command(self, fields: dict, master: str, deploy_mode: str | None = None):
        """The argv SparkSubmitHook._build_spark_submit_command builds from the rendered fields
        and a connection with ``master`` and ``deploy_mode``, for the options this DAG sets, in
        the hook's order: --master, --conf k=v per entry, --executor-memory, --driver-memory,
        --name, --class, --verbose, --deploy-mode, the application, its arguments."""
        argv = [self.arguments.get("spark_binary") or "spark-submit", "--master", master]
        for key, value in (fields.get("conf") or {}).items():
            argv += ["--conf", f"{key}={value}"]
        unsupported = {
            "files",
            "py_files",
            "archives",
            "driver_class_path",
            "jars",
            "packages",
            "exclude_packages",
            "repositories",
            "num_executors",
            "total_executor_cores",
            "executor_cores",
            "keytab",
            "principal",
            "proxy_user",
            "env_vars",
            "properties_file",
            "yarn_queue",
        } & {k for k, v in self.arguments.items() if v}
        if unsupported:
            raise NotImplementedError(f"stand-in does not build {sorted(unsupported)}")
        if self.arguments.get("executor_memory"):
            argv += ["--executor-memory", self.arguments["executor_memory"]]
        if self.arguments.get("driver_memory"):
            argv += ["--driver-memory", self.arguments["driver_memory"]]
        if fields.get("name"):
            argv += ["--name", fields["name"]]
        if self.arguments.get("java_class"):
            argv += ["--class", self.arguments["java_class"]]
        if self.arguments.get("verbose"):
            argv += ["--verbose"]
        if deploy_mode:
            argv += ["--deploy-mode", deploy_mode]
        argv += [fields["application"]]
        argv += list(fields.get("application_args") or [])
        return argv

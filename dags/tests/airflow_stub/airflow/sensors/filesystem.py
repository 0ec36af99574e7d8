from airflow._stub import BaseSensorOperator


class FileSensor(BaseSensorOperator):
    """Airflow's FileSensor: waits for a path (a file, a directory or a glob) to exist."""

    template_fields = ("filepath",)
    own_arguments = BaseSensorOperator.own_arguments | {
        "filepath",
        "fs_conn_id",
        "recursive",
        "deferrable",
        "start_from_trigger",
        "trigger_kwargs",
    }

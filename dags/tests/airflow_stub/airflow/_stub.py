"""DAG, operators and template rendering, as far as the DAG tests need them (see __init__.py)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import jinja2
import jinja2.nativetypes

_current_dags: list["DAG"] = []

# BaseOperator's own arguments (Airflow 2.x), which default_args may also carry.
_BASE_ARGUMENTS = frozenset(
    {
        "task_id",
        "owner",
        "email",
        "email_on_retry",
        "email_on_failure",
        "retries",
        "retry_delay",
        "retry_exponential_backoff",
        "max_retry_delay",
        "start_date",
        "end_date",
        "depends_on_past",
        "wait_for_downstream",
        "dag",
        "params",
        "default_args",
        "priority_weight",
        "weight_rule",
        "queue",
        "pool",
        "pool_slots",
        "sla",
        "execution_timeout",
        "trigger_rule",
        "resources",
        "run_as_user",
        "task_concurrency",
        "max_active_tis_per_dag",
        "executor_config",
        "do_xcom_push",
        "inlets",
        "outlets",
        "task_group",
        "doc_md",
        "on_failure_callback",
        "on_success_callback",
        "on_retry_callback",
        "on_execute_callback",
    }
)


class Variable:
    """Airflow's Variable: the DAG must not read one at parse time; reading one here fails."""

    reads = 0

    @classmethod
    def get(cls, key, default_var=None, deserialize_json=False):
        cls.reads += 1
        raise RuntimeError(f"Variable.get({key!r}) at parse time")


class DAG:
    _ARGUMENTS = frozenset(
        {
            "dag_id",
            "description",
            "schedule",
            "start_date",
            "end_date",
            "catchup",
            "max_active_runs",
            "max_active_tasks",
            "default_args",
            "tags",
            "params",
            "render_template_as_native_obj",
            "dagrun_timeout",
            "sla_miss_callback",
            "doc_md",
            "user_defined_macros",
            "is_paused_upon_creation",
        }
    )

    def __init__(self, dag_id: str, **kwargs):
        unknown = set(kwargs) - self._ARGUMENTS
        if unknown:
            raise TypeError(f"DAG got unexpected arguments {sorted(unknown)}")
        self.dag_id = dag_id
        self.description = kwargs.get("description")
        self.schedule = kwargs.get("schedule")
        self.start_date = kwargs.get("start_date")
        self.catchup = kwargs.get("catchup", True)
        self.max_active_runs = kwargs.get("max_active_runs", 16)
        self.default_args = dict(kwargs.get("default_args") or {})
        self.tags = list(kwargs.get("tags") or [])
        self.params = dict(kwargs.get("params") or {})
        self.render_template_as_native_obj = kwargs.get("render_template_as_native_obj", False)
        self.task_dict: dict[str, BaseOperator] = {}

    def __enter__(self):
        _current_dags.append(self)
        return self

    def __exit__(self, *exc):
        _current_dags.pop()
        return False

    @property
    def tasks(self) -> list["BaseOperator"]:
        return list(self.task_dict.values())

    def render(self, task_id: str, ds: str, variables: dict | None = None, params=None) -> dict:
        """The task's template fields rendered for the run of date ``ds``."""
        return self.task_dict[task_id].render(ds, variables or {}, params or {})


class _VariableAccessor:
    """What ``var`` is in a template: ``var.value.get(k, default)``, ``var.json.get(...)``."""

    def __init__(self, variables: dict, as_json: bool):
        self._variables = variables
        self._as_json = as_json

    def get(self, key, default=None):
        if key not in self._variables:
            return default
        value = self._variables[key]
        return json.loads(value) if self._as_json else value


class _Var:
    def __init__(self, variables: dict):
        self.value = _VariableAccessor(variables, as_json=False)
        self.json = _VariableAccessor(variables, as_json=True)


class BaseOperator:
    template_fields: tuple = ()
    own_arguments: frozenset = frozenset()

    def __init__(self, task_id: str, **kwargs):
        if not _current_dags:
            raise RuntimeError(f"task {task_id} created outside a DAG")
        self.dag = _current_dags[-1]
        arguments = dict(self.dag.default_args)
        arguments.update(kwargs)
        unknown = set(arguments) - _BASE_ARGUMENTS - self.own_arguments
        if unknown:
            raise TypeError(f"{type(self).__name__} got unexpected arguments {sorted(unknown)}")
        if task_id in self.dag.task_dict:
            raise ValueError(f"duplicate task_id {task_id}")
        self.task_id = task_id
        self.arguments = arguments
        for field in self.template_fields:
            setattr(self, field, arguments.get(field))
        self.upstream_task_ids: set[str] = set()
        self.downstream_task_ids: set[str] = set()
        self.dag.task_dict[task_id] = self

    def __getattr__(self, name):
        arguments = self.__dict__.get("arguments", {})
        if name in arguments:
            return arguments[name]
        raise AttributeError(name)

    def __rshift__(self, other: "BaseOperator") -> "BaseOperator":
        self.downstream_task_ids.add(other.task_id)
        other.upstream_task_ids.add(self.task_id)
        return other

    def render(self, ds: str, variables: dict, params: dict) -> dict:
        native = self.dag.render_template_as_native_obj
        env = (
            jinja2.nativetypes.NativeEnvironment(undefined=jinja2.StrictUndefined)
            if native
            else jinja2.Environment(undefined=jinja2.StrictUndefined)
        )
        merged_params = dict(self.dag.params)
        merged_params.update(params)
        context = {
            "ds": ds,
            "ds_nodash": ds.replace("-", ""),
            "logical_date": datetime.fromisoformat(ds),
            "params": merged_params,
            "var": _Var(variables),
            "macros": {"timedelta": timedelta},
        }
        return {field: _render(env, getattr(self, field), context) for field in self.template_fields}


class BaseSensorOperator(BaseOperator):
    own_arguments = frozenset(
        {"poke_interval", "timeout", "soft_fail", "mode", "exponential_backoff", "max_wait"}
    )


def _render(env, value, context):
    """Renders as Airflow's Templater.render_template: strings, and lists/dicts element-wise."""
    if isinstance(value, str):
        return env.from_string(value).render(**context)
    if isinstance(value, (list, tuple)):
        return type(value)(_render(env, v, context) for v in value)
    if isinstance(value, dict):
        return {k: _render(env, v, context) for k, v in value.items()}
    return value

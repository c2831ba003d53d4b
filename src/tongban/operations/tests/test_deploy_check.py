"""T-N1: ``manage.py check --deploy`` is clean with the production environment docs/operations.md
documents, and that list is exactly the variables production cannot start without (env.py)."""

import re
from pathlib import Path

from tongban import env
from tongban.core.tests.test_security import PRODUCTION, run_manage

DOC = Path(__file__).resolve().parents[4] / "docs" / "operations.md"


def _documented_production_variables() -> list[str]:
    block = DOC.read_text(encoding="utf-8").split("## Production settings", 1)[1].split("```", 2)[1]
    return re.findall(r"^([A-Z_]+)=", block, flags=re.MULTILINE)


def test_T_N1_the_documented_production_environment_is_every_required_variable():
    required = {v.name for v in env.REGISTRY.values() if v.default is env._UNSET}
    assert set(_documented_production_variables()) == required | {"TONGBAN_DEBUG"}


def test_T_N1_check_deploy_is_clean_with_the_documented_production_environment():
    production = {name: PRODUCTION[name] for name in _documented_production_variables()}
    assert production["TONGBAN_DEBUG"] == "false"
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **production)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr

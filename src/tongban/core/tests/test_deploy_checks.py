"""``check --deploy`` refuses a virus scanner that scans nothing and a wildcard in ALLOWED_HOSTS."""

import pytest

from tongban.core.deploy_checks import allowed_hosts_are_explicit, virus_scanner_scans
from tongban.core.tests.test_security import PRODUCTION, run_manage
from tongban.core.virus_scan import DISABLED

CLAMD = "tongban.core.virus_scan.backends.clamd.ClamdScanner"


@pytest.mark.parametrize(
    ("scanner", "problems"),
    [(DISABLED, ["core.E002"]), ("", ["core.E002"]), ("tongban.core.no.Such", ["core.E002"]), (CLAMD, [])],
)
def test_T_C6_deploy_check_refuses_a_scanner_that_scans_nothing(settings, scanner, problems):
    settings.TONGBAN_VIRUS_SCANNER = scanner
    assert [problem.id for problem in virus_scanner_scans(None)] == problems


@pytest.mark.parametrize(
    ("hosts", "problems"),
    [
        (["*"], ["core.E003"]),
        (["zwfw.yunzhou.gov.cn", ".yunzhou.gov.cn"], ["core.E003"]),
        (["zwfw.yunzhou.gov.cn", "www.zwfw.yunzhou.gov.cn"], []),
    ],
)
def test_T_N1_deploy_check_refuses_a_wildcard_host(settings, hosts, problems):
    settings.ALLOWED_HOSTS = hosts
    assert [problem.id for problem in allowed_hosts_are_explicit(None)] == problems


def test_T_N1_check_deploy_fails_with_a_disabled_scanner_or_a_wildcard_host():
    result = run_manage(
        "check",
        "--deploy",
        **(PRODUCTION | {"TONGBAN_VIRUS_SCANNER": DISABLED, "TONGBAN_ALLOWED_HOSTS": "*"}),
    )
    assert result.returncode == 1
    assert (
        "(core.E002) TONGBAN_VIRUS_SCANNER is tongban.core.virus_scan.backends.disabled.DisabledScanner"
        in (result.stderr)
    )
    assert "(core.E003) ALLOWED_HOSTS contains the wildcard(s) *." in result.stderr

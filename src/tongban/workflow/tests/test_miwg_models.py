"""The 21 BPMN Model Interchange Working Group reference models: each is kept or refused with a
message that names the reason — never an unhandled exception (a 500 on the upload page)."""

from pathlib import Path

import pytest

from tongban.workflow.errors import DefinitionError
from tongban.workflow.validation import validate_definition

# Copied from ../shared/bpmn-miwg with its README (CC BY 3.0, attribution kept there).
MIWG = Path(__file__).resolve().parent / "bpmn_miwg"
NOT_EXECUTABLE = "文件中没有可执行的流程"
SERVICE_TASK = "平台不运行上传流程中的服务任务"
SEND_TASK = "平台不运行上传流程中的发送任务"
EXPECTED = {
    "A.1.0": NOT_EXECUTABLE,
    "A.2.0": NOT_EXECUTABLE,
    "A.2.1": "条件表达式为空",
    "A.3.0": NOT_EXECUTABLE,
    "A.4.0": NOT_EXECUTABLE,
    "A.4.1": NOT_EXECUTABLE,
    "B.1.0": SERVICE_TASK,
    "B.2.0": SERVICE_TASK,
    "C.1.0": SERVICE_TASK,
    "C.1.1": SERVICE_TASK,
    "C.2.0": NOT_EXECUTABLE,
    "C.3.0": "条件表达式“Service Level == 'Premium'”无法解析",
    "C.4.0": SERVICE_TASK,
    "C.5.0": "平台不运行上传流程中的数据存储",
    "C.6.0": SERVICE_TASK,
    "C.7.0": SERVICE_TASK,
    "C.8.0": SERVICE_TASK,
    "C.8.1": SERVICE_TASK,
    "C.9.0": SERVICE_TASK,
    "C.9.1": SEND_TASK,
    "C.9.2": SEND_TASK,
}


def test_all_21_reference_models_are_there():
    assert sorted(p.stem for p in MIWG.glob("*.bpmn")) == sorted(EXPECTED)


@pytest.mark.parametrize(("model", "reason"), sorted(EXPECTED.items()))
def test_each_reference_model_is_refused_with_a_message_naming_why(model, reason):
    with pytest.raises(DefinitionError) as refused:
        validate_definition((MIWG / f"{model}.bpmn").read_bytes())
    assert reason in refused.value.message

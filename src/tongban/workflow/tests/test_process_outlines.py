"""What a process key runs if started now, for the readiness check: the latest version's steps."""

from tongban.workflow.selectors import process_outlines
from tongban.workflow.services import install_shipped_definitions, upload_definition
from tongban.workflow.tests.helpers import standard_with
from tongban.workflow.types import StepOutline


def test_a_shipped_key_not_stored_yet_is_read_from_its_file(db):
    [instant] = process_outlines({"instant"}).values()
    assert (instant.name, instant.runnable) == ("即办事项流程", True)
    assert [(s.name, s.role, s.lane) for s in instant.steps] == [
        ("受理", "clerk", None),
        ("即时办结", "clerk", None),
    ]


def test_the_latest_stored_version_is_the_one_that_counts(django_user_model, db):
    install_shipped_definitions()
    admin = django_user_model.objects.create(username="admin", kind="staff")
    upload_definition(
        key="standard",
        data=standard_with(
            '<bpmn:userTask id="review" name="审查">', '<bpmn:userTask id="review" name="初审">'
        ),
        uploaded_by_id=admin.pk,
    )
    outline = process_outlines({"standard"})["standard"]
    assert outline.steps[1] == StepOutline(element_id="review", name="初审", role="reviewer", lane=None)


def test_a_key_with_no_definition_is_not_runnable(db):
    assert process_outlines({"nowhere"})["nowhere"].runnable is False

import importlib
import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from tongban.hotline import classifier
from tongban.hotline.categories import CATEGORY_CODES
from tongban.hotline.classifier import model, storage
from tongban.hotline.classifier.types import Suggestion

# tongban.demo sits above the hotline app: the demo corpus is loaded by name.
corpus = importlib.import_module("tongban.demo.hotline_corpus")

TOY = [
    ("小区停水了一整天", "water"),
    ("自来水管爆了", "water"),
    ("水压太低楼上没水", "water"),
    ("路灯坏了一排", "lights"),
    ("晚上路灯不亮", "lights"),
    ("路口的灯坏了很久", "lights"),
]


class BrokenPipeline:
    """A stored object that fails when asked (stored by reference: it lives in this module)."""

    classes_ = ("water",)

    def predict_proba(self, texts):
        raise RuntimeError("broken")


@pytest.fixture(autouse=True)
def _no_loaded_model():
    classifier.forget_cached_model()
    yield
    classifier.forget_cached_model()


@pytest.fixture(scope="module")
def demo_examples():
    return [(o.text, o.category_code) for o in corpus.labelled_orders(count=400)]


def _pointer() -> dict:
    with storages["default"].open(storage.POINTER) as handle:
        return json.load(handle)


def test_without_a_model_nothing_is_suggested():
    assert classifier.suggest("楼下烧烤店油烟太大") is None
    assert classifier.current_report() is None


def test_train_reports_the_held_out_measure_and_suggests_categories_of_unseen_texts(demo_examples):
    report = classifier.train(demo_examples)

    assert report.trained_on + report.held_out == 400
    assert report.held_out == sum(support for _p, _r, support in report.per_category.values())
    assert report.accuracy > 0.5  # a sanity floor; the bench prints the real number
    assert classifier.current_report() == report
    for text, code in [
        ("我家楼下的烧烤店油烟直排，熏得窗户都不敢开", "environment"),
        ("老板拖欠我们三个月工资不发", "labour"),
        ("孩子明年上小学，划片学校怎么查", "education"),
        ("小区从昨天晚上开始停水，也没有通知", "utilities"),
    ]:
        suggestion = classifier.suggest(text)
        assert isinstance(suggestion, Suggestion)
        assert (suggestion.category_code, text) == (code, text)
        assert 0 < suggestion.confidence <= 1


def test_blank_text_is_not_classified():
    classifier.train(TOY, held_out=0.34)

    assert classifier.suggest("  ") is None
    assert classifier.suggest("路灯不亮").category_code == "lights"


def test_the_model_is_stored_with_a_signed_pointer_and_its_digest():
    classifier.train(TOY, held_out=0.34)

    pointer = _pointer()
    assert pointer["model"].startswith("hotline-classifier/model-")
    assert pointer["model"].endswith(".joblib")
    assert storages["default"].exists(pointer["model"])
    assert len(pointer["sha256"]) == 64


def test_a_tampered_model_file_is_refused_not_unpickled(caplog):
    classifier.train(TOY, held_out=0.34)
    name = _pointer()["model"]
    path = storages["default"].path(name)
    with open(path, "ab") as handle:
        handle.write(b"\x00")
    classifier.forget_cached_model()

    assert classifier.suggest("路灯不亮") is None
    assert "does not match its SHA-256" in caplog.text


def test_a_pointer_edited_to_name_another_digest_is_refused(caplog):
    classifier.train(TOY, held_out=0.34)
    pointer = _pointer()
    pointer["sha256"] = "0" * 64
    pointer["model"] = "hotline-classifier/evil.joblib"
    default = storages["default"]
    default.delete(storage.POINTER)
    default.save(storage.POINTER, ContentFile(json.dumps(pointer).encode()))
    classifier.forget_cached_model()

    # The signed part still names the real file: what the pointer says outside it is not used.
    assert classifier.suggest("路灯不亮").category_code == "lights"
    pointer["signed"] = pointer["signed"][:-3] + "abc"
    default.delete(storage.POINTER)
    default.save(storage.POINTER, ContentFile(json.dumps(pointer).encode()))
    classifier.forget_cached_model()

    assert classifier.suggest("路灯不亮") is None
    assert "not signed with this SECRET_KEY" in caplog.text


def test_a_model_signed_with_another_secret_key_is_refused(settings):
    classifier.train(TOY, held_out=0.34)
    settings.SECRET_KEY = "another-secret-key-of-another-installation-0123456789"
    classifier.forget_cached_model()

    assert classifier.suggest("路灯不亮") is None


def test_retraining_switches_current_and_another_process_sees_it(demo_examples):
    classifier.train(TOY, held_out=0.34)
    first = _pointer()["model"]
    assert classifier.suggest("路灯不亮").category_code == "lights"

    # Another node trains: this process still has the first model loaded.
    pipeline = model.fit([t for t, _ in demo_examples], [c for _, c in demo_examples])
    storage.store_model({"pipeline": pipeline, "report": None})
    assert _pointer()["model"] != first
    assert classifier.suggest("路灯不亮").category_code == "lights"

    classifier.forget_cached_model()  # a process started now, or this one a minute later

    assert classifier.suggest("路灯不亮").category_code in CATEGORY_CODES  # "lights" was the first model's


def test_a_changed_pointer_is_picked_up_at_the_next_check(monkeypatch):
    classifier.train(TOY, held_out=0.34)
    assert classifier.suggest("路灯不亮").category_code == "lights"
    monkeypatch.setattr(storage, "RECHECK_SECONDS", 0)
    pipeline = model.fit(
        ["停水", "没水", "灯坏了", "路灯不亮"], ["roads", "roads", "roads_lights", "roads_lights"]
    )
    storage.store_model({"pipeline": pipeline, "report": None})

    assert classifier.suggest("路灯不亮").category_code == "roads_lights"


def test_old_model_files_are_pruned_to_the_current_and_two_previous():
    for _ in range(4):
        classifier.train(TOY, held_out=0.34)

    _dirs, files = storages["default"].listdir(storage.DIRECTORY)
    models = sorted(f for f in files if f.endswith(".joblib"))
    assert len(models) == 3
    assert _pointer()["model"] == f"{storage.DIRECTORY}/{models[-1]}"


def test_too_few_examples_keep_the_current_model():
    classifier.train(TOY, held_out=0.34)
    before = _pointer()

    with pytest.raises(classifier.TooFewExamples):
        classifier.train([*TOY, ("燃气味道很重", "gas")], min_examples=100)

    assert _pointer() == before


def test_one_category_is_not_enough_to_train():
    with pytest.raises(classifier.ClassifierError):
        classifier.train([("停水", "water"), ("没水", "water"), ("水黄", "water")])

    assert not storages["default"].exists(storage.POINTER)


def test_identical_texts_count_once_and_the_last_label_wins():
    examples = [("小区停水了", "housing"), (" 小区停水了 ", "utilities"), ("路灯坏了", "utilities")]

    assert model.deduplicate(examples) == [("小区停水了", "utilities"), ("路灯坏了", "utilities")]


def test_the_split_holds_out_a_share_of_each_category_and_never_its_only_examples():
    labels = ["a"] * 10 + ["b"] * 5 + ["c"] * 2 + ["d"]

    train, test = model.stratified_split(labels, held_out=0.2, seed=0)

    held = [labels[i] for i in test]
    assert sorted(held) == ["a", "a", "b"]
    assert {labels[i] for i in train} == {"a", "b", "c", "d"}
    assert sorted(train + test) == list(range(len(labels)))


def test_digits_do_not_make_features():
    assert model.normalize("电话１３８０００００１２３，３号楼") == "电话0,0号楼"


def test_a_model_loaded_from_another_storage_is_not_used(settings, tmp_path):
    # Tests (and a reconfigured process) switch storages: the loaded model belongs to the old one.
    classifier.train(TOY, held_out=0.34)
    assert classifier.suggest("路灯不亮").category_code == "lights"

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path / "elsewhere")}},
    }

    assert classifier.suggest("路灯不亮") is None


def test_a_failing_model_gives_no_suggestion_rather_than_an_error(caplog):
    storage.store_model({"pipeline": BrokenPipeline(), "report": None})

    assert classifier.suggest("小区停水了") is None
    assert "suggestion failed" in caplog.text


def test_a_stored_file_without_a_model_is_refused(caplog):
    storage.store_model({"report": None})

    assert classifier.suggest("小区停水了") is None
    assert "holds no model" in caplog.text

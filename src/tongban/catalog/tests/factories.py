"""Factories for catalog tests. ItemDraftFactory builds a draft that passes every rule; traits and
keyword overrides make the broken variants."""

import factory

from tongban.catalog.types import (
    FaqData,
    FeeData,
    ItemDraft,
    LegalBasisData,
    MaterialData,
    ProcessStepData,
    UploadedFileData,
)

LICENSE_STEPS = tuple(
    ProcessStepData(name=name, office="行政审批科", limit=1)
    for name in ("受理", "审核", "审批", "办结", "送达")
)


class ItemDraftFactory(factory.Factory):
    class Meta:
        model = ItemDraft

    name = "个体工商户营业执照核发"
    summary = "个体工商户办理设立登记，领取营业执照。"
    kind = "license"
    power_source = "statutory"
    exercise_level = "district"
    acceptance_conditions = "1. 有经营能力的自然人；\n2. 有固定的经营场所。"
    statutory_limit = 15
    statutory_limit_unit = "working_day"
    promised_limit = 3
    promised_limit_unit = "working_day"
    online_depth = 4
    site_visits = 0
    accepts_online = True
    result_type = "license"
    result_name = "营业执照"
    result_sample = UploadedFileData(name="sample.pdf", content=b"%PDF-1.4 sample")
    consultation_phone = "0999-86190000"
    complaint_phone = "0999-12345"
    serves_legal_persons = True
    legal_bases = (
        LegalBasisData(
            law_name="促进个体工商户发展条例", article="第九条", text="个体工商户应当依法办理登记。"
        ),
    )
    steps = LICENSE_STEPS
    materials = (
        MaterialData(
            name="个体工商户登记（备案）申请书",
            material_type="form",
            form="electronic",
            necessity="required",
            source="applicant",
            originals=1,
            blank_form=UploadedFileData(name="form.pdf", content=b"%PDF-1.4 blank form"),
        ),
    )
    faqs = (FaqData(question="可以网上办理吗？", answer="可以，全程网办。"),)

    class Params:
        instant = factory.Trait(promised_limit=0, is_instant=True)
        charged = factory.Trait(
            is_charged=True,
            fee_basis="发改价格〔2017〕1186号",
            fees=(FeeData(name="工本费", standard="每证20元", basis="发改价格〔2017〕1186号"),),
        )
        public_service = factory.Trait(kind="public_service", steps=LICENSE_STEPS[:2], faqs=())

"""Process definitions (流程定义), their running instances and the human tasks (待办/已办) they create."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class StepMeaning(models.TextChoices):
    """What an application's task page asks at a step (受理/审查/决定/办结/送达); "" for none."""

    ACCEPT = "accept", _("受理")
    REVIEW = "review", _("审查")
    DECIDE = "decide", _("决定")
    CLOSE = "close", _("办结")
    DELIVER = "deliver", _("送达")


class StepKind(models.Model):
    """A kind of human step (``step`` property): the seeded ones and a city's own (e.g. 复核 meaning
    审查). ``meaning`` is what an application's task page does at it; a kind without one serves only
    internal requests and documents."""

    code = models.SlugField(_("环节类型代码"), max_length=32, unique=True)
    name = models.CharField(_("环节类型名称"), max_length=50, unique=True)
    meaning = models.CharField(_("办件中的含义"), max_length=16, choices=StepMeaning.choices, blank=True)
    is_builtin = models.BooleanField(_("平台内置"), default=False)

    class Meta:
        verbose_name = _("环节类型")
        verbose_name_plural = _("环节类型")
        ordering = ["-is_builtin", "id"]

    def __str__(self) -> str:
        return self.name


class ProcessFamily(models.TextChoices):
    """What a process runs: citizens' cases (办件), staff's own requests (内部事项), official documents (公文)."""

    APPLICATION = "application", _("办件")
    INTERNAL = "internal", _("内部事项")
    DOCUMENT = "document", _("公文")
    DISCLOSURE = "disclosure", _("政务公开")


class ProcessDefinition(models.Model):
    """One version of a BPMN model. Versions are never edited: an upload adds a version, and running
    instances keep the version they started on. A view-only version (``is_runnable`` false, issue 8)
    is a model drawn elsewhere that the platform will not run: it is only shown, ``refusals`` say
    why, and it is never started or bound to an item."""

    key = models.SlugField(_("流程标识"), max_length=64)
    version = models.PositiveIntegerField(_("版本"))
    name = models.CharField(_("流程名称"), max_length=200)
    family = models.CharField(
        _("流程类别"), max_length=16, choices=ProcessFamily.choices, default=ProcessFamily.APPLICATION
    )
    process_id = models.CharField(_("BPMN流程ID"), max_length=200)
    bpmn_xml = models.TextField(_("BPMN文件"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    spec = models.TextField(_("解析后的流程"), blank=True)  # JSON text (engine._text); "" if view-only
    # Runnable: the human steps. View-only: every activity, ``step`` holding its kind (the text
    # beside the diagram).
    steps = models.JSONField(_("人工环节"), default=list)
    lanes = models.JSONField(_("泳道"), default=list)
    is_shipped = models.BooleanField(_("平台内置"), default=False)
    is_runnable = models.BooleanField(_("可运行"), default=True)
    refusals = models.JSONField(_("不可运行的原因"), default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # Region-scoped administration (issue 20): the region whose administrators keep this process; none:
    # the city's (shipped ones and those of city-level designers), which every designer reads.
    region = models.ForeignKey(
        "organizations.Region",
        verbose_name=_("所属区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("流程定义")
        verbose_name_plural = _("流程定义")
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="one_definition_version"),
            # Only a runnable version has a parsed spec the engine could start.
            models.CheckConstraint(
                condition=(Q(is_runnable=True) & ~Q(spec="")) | Q(is_runnable=False, spec=""),
                name="spec_only_when_runnable",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class InstanceStatus(models.TextChoices):
    RUNNING = "running", _("办理中")
    SUSPENDED = "suspended", _("已挂起")
    COMPLETED = "completed", _("已结束")
    TERMINATED = "terminated", _("已终止")


class ProcessInstance(models.Model):
    """One run of a definition for one subject (e.g. ``application:42``); the engine state is saved
    after every step and loaded on the next request (no process holds it in memory)."""

    definition = models.ForeignKey(ProcessDefinition, on_delete=models.PROTECT, related_name="instances")
    subject = models.CharField(_("办理对象"), max_length=64, unique=True)
    department = models.ForeignKey(
        "organizations.Department", verbose_name=_("主办部门"), on_delete=models.PROTECT, related_name="+"
    )
    lane_departments = models.JSONField(_("泳道对应部门"), default=dict, blank=True)
    step_limits = models.JSONField(_("环节时限（工作日）"), default=dict, blank=True)
    # No step's due date falls after this date (an application's promised finish date: a joint-approval
    # lane cannot end after the case); None: no such bound.
    due_by = models.DateField(_("最迟办结日期"), null=True, blank=True)
    state = models.TextField(_("流程状态"))  # JSON text, see ProcessDefinition.spec
    revision = models.PositiveIntegerField(_("修订号"), default=0)
    status = models.CharField(_("状态"), max_length=16, choices=InstanceStatus.choices, default="running")
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    status_reason = models.TextField(_("挂起或终止理由"), blank=True)
    # When the earliest BPMN timer of the instance is due (written with every save of its state):
    # the periodic job (services.fire_due_timers) reads only instances whose time has come.
    next_timer_at = models.DateTimeField(_("下次定时器到期时间"), null=True, blank=True, db_index=True)
    # 发起人自选 / 审批人自选: the user ids chosen for a step, by element id (assignee rules
    # initiator_choice and previous_choice).
    chosen_assignees = models.JSONField(_("自选办理人"), default=dict, blank=True)

    class Meta:
        verbose_name = _("流程实例")
        verbose_name_plural = _("流程实例")

    def __str__(self) -> str:
        return self.subject


class TaskStatus(models.TextChoices):
    OPEN = "open", _("待办")
    COMPLETED = "completed", _("已办")
    RETURNED = "returned", _("已退回")
    WITHDRAWN = "withdrawn", _("已撤回")
    CANCELLED = "cancelled", _("已取消")


class WorkTask(models.Model):
    """A human task: who may do it (role in a department, or the person who claimed it), its due date,
    and once done what was decided (the process record of STANDARDS.md §2)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    instance = models.ForeignKey(ProcessInstance, on_delete=models.CASCADE, related_name="tasks")
    engine_task_id = models.UUIDField(_("引擎任务ID"))
    element_id = models.CharField(_("环节ID"), max_length=200)
    name = models.CharField(_("环节名称"), max_length=200)
    step = models.CharField(_("环节类型"), max_length=32)
    role = models.CharField(_("办理角色"), max_length=32)
    department = models.ForeignKey(
        "organizations.Department", verbose_name=_("办理部门"), on_delete=models.PROTECT, related_name="+"
    )
    properties = models.JSONField(_("环节属性"), default=dict, blank=True)
    # Who may claim it while unassigned: ``role`` holders in its department (the default), or the
    # ``TaskCandidate`` rows the step's assignee rule resolved (any other rule, ``services.assignees``).
    assignee_rule = models.CharField(_("办理人规则"), max_length=32, default="role")
    # The rule found nobody: the task went to the department's process administrators (待分配).
    unassigned = models.BooleanField(_("未找到办理人"), default=False)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("状态"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    created_at = models.DateTimeField(_("到达时间"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    due_date = models.DateField(_("环节办理期限"), null=True, blank=True)
    completed_at = models.DateTimeField(_("办理时间"), null=True, blank=True)
    action = models.CharField(_("办理结果"), max_length=32, blank=True)
    action_label = models.CharField(_("办理结果名称"), max_length=50, blank=True)
    opinion = models.TextField(_("办理意见"), blank=True)
    # 退回: the step that sent this task back, why, and whether it goes straight back there (直送).
    returned_from = models.CharField(_("退回自环节"), max_length=200, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    direct_return = models.BooleanField(_("办理后直送退回环节"), default=False)
    # 委派: who delegated the task (it returns to them once the delegate has given an opinion).
    delegated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("委派人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # 代理: the colleague on whose behalf the agent handled the task.
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("被代理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # For 直送: what each step to be skipped decided last time (replayed unchanged).
    skip_data = models.JSONField(_("直送沿用的办理结果"), default=dict, blank=True)
    # 后加签: the handler's completion, kept until the signers added after them have agreed.
    deferred_completion = models.JSONField(_("待加签人同意后生效的办理结果"), default=dict, blank=True)

    class Meta:
        verbose_name = _("办理环节")
        verbose_name_plural = _("办理环节")
        ordering = ["created_at", "id"]
        indexes = [
            # 待办 (selectors.inbox_tasks), each in its order: unclaimed tasks of a (department, role),
            # tasks in someone's hands; 已办: the steps someone completed, newest first.
            models.Index(
                fields=["department", "role", "due_date", "created_at", "id"],
                condition=Q(status="open", assignee__isnull=True),
                name="task_role_inbox_idx",
            ),
            models.Index(
                fields=["assignee", "due_date", "created_at", "id"],
                condition=Q(status="open"),
                name="task_assigned_inbox_idx",
            ),
            models.Index(
                fields=["assignee", "-completed_at", "-created_at", "-id"],
                condition=Q(status="completed"),
                name="task_done_idx",
            ),
            # Red cards (selectors.overdue_task_subjects, every supervisor page's navigation count):
            # open steps past their due date, a small share of the open ones.
            models.Index(fields=["due_date"], condition=Q(status="open"), name="task_open_due_idx"),
        ]
        constraints = [
            # A step sent back or withdrawn is the same engine task again: one *open* row per task.
            models.UniqueConstraint(
                fields=["instance", "engine_task_id"],
                condition=Q(status="open"),
                name="one_open_row_per_engine_task",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(completed_at__isnull=False), name="closed_task_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instance} {self.name}"


class TaskCandidate(models.Model):
    """Someone who may claim and handle an open task resolved by an assignee rule other than ``role``
    (a named person, a department head, a chosen one …). Indexed by user for the inbox."""

    task = models.ForeignKey(WorkTask, on_delete=models.CASCADE, related_name="candidates")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("候选办理人")
        verbose_name_plural = _("候选办理人")
        constraints = [models.UniqueConstraint(fields=["task", "user"], name="one_candidate_row_per_user")]
        indexes = [models.Index(fields=["user", "task"], name="task_candidate_user_idx")]

    def __str__(self) -> str:
        return f"{self.task_id} {self.user_id}"


class CommonPhrase(models.Model):
    """常用语: a staff member's own opinion texts, one click away on every task page."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(_("常用语"), max_length=200)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("常用语")
        verbose_name_plural = _("常用语")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "text"], name="one_phrase_per_text")]

    def __str__(self) -> str:
        return self.text


class StaffSignature(models.Model):
    """A staff member's handwritten signature (an image, re-encoded on upload), shown with their
    opinions on the approval sheet."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    image = models.BinaryField(_("签名图片"))
    kind = models.CharField(_("图片类型"), max_length=8)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now=True)

    class Meta:
        verbose_name = _("手写签名")
        verbose_name_plural = _("手写签名")

    def __str__(self) -> str:
        return f"{self.user_id}"


class SignerStatus(models.TextChoices):
    PENDING = "pending", _("待签署")
    APPROVED = "approved", _("同意")
    REJECTED = "rejected", _("不同意")
    REMOVED = "removed", _("已减签")
    VOID = "void", _("无需签署")


class SignerKind(models.TextChoices):
    COUNTERSIGN = "countersign", _("会签人")
    HOLDER = "holder", _("办理人")
    BEFORE = "before", _("前加签")
    AFTER = "after", _("后加签")


class Signer(models.Model):
    """One person who signs a task: a member of a joint step (会签, 或签, 依次, ratio), the
    handler of a task once signers were added, or a signer added before or after someone (加签).

    ``waits_for`` orders the signing: a signer may sign once the one they wait for has signed
    (依次 chains everyone; 前加签 puts the added signer in front of the one who added them)."""

    task = models.ForeignKey(WorkTask, on_delete=models.CASCADE, related_name="signers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("签署人类型"), max_length=16, choices=SignerKind.choices)
    status = models.CharField(
        _("签署状态"), max_length=16, choices=SignerStatus.choices, default=SignerStatus.PENDING
    )
    waits_for = models.ForeignKey(
        "self",
        verbose_name=_("在其后签署"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("加签人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opinion = models.TextField(_("签署意见"), blank=True)
    signed_at = models.DateTimeField(_("签署时间"), null=True, blank=True)
    # 代理: the agent who signed while the signer was away.
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("代理签署人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("加入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("签署人")
        verbose_name_plural = _("签署人")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "user"],
                condition=Q(status="pending"),
                name="one_pending_signature_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.user_id} {self.status}"

    @property
    def is_turn(self) -> bool:
        """Pending, and whoever they wait for has signed: they may sign now."""
        return self.status == SignerStatus.PENDING and (
            self.waits_for is None or self.waits_for.status != SignerStatus.PENDING
        )


class TaskOperation(models.Model):
    """Every operation on a task besides completing it — 转办, 委派 and its return, 退回, 撤回 — with
    who, when, from whom to whom and why (issue 8's audit of operations)."""

    class Kind(models.TextChoices):
        TRANSFER = "transfer", _("转办")
        DELEGATE = "delegate", _("委派")
        DELEGATE_DONE = "delegate_done", _("委派办理完毕")
        REASSIGN = "reassign", _("重置处理人")
        ADD_SIGNER = "add_signer", _("加签")
        REMOVE_SIGNER = "remove_signer", _("减签")
        SIGN_APPROVE = "sign_approve", _("签署同意")
        SIGN_REJECT = "sign_reject", _("签署不同意")

    task = models.ForeignKey(WorkTask, on_delete=models.CASCADE, related_name="operations")
    kind = models.CharField(_("操作"), max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("理由或意见"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("环节操作记录")
        verbose_name_plural = _("环节操作记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.kind}"


class CaseCopy(models.Model):
    """抄送/传阅: a case copied to a staff member, who may then read it (not act on it); ``read_at``
    is the read receipt."""

    instance = models.ForeignKey(ProcessInstance, on_delete=models.CASCADE, related_name="copies")
    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("附言"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("抄送时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("抄送传阅")
        verbose_name_plural = _("抄送传阅")
        ordering = ["-sent_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["instance", "to_user"], name="one_copy_per_reader")]

    def __str__(self) -> str:
        return f"{self.instance} → {self.to_user_id}"


class OutOfOffice(models.Model):
    """代理: while away, a staff member's tasks can be handled by an agent (both see them); the period
    ends by itself."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    created_at = models.DateTimeField(_("设置时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("代理设置")
        verbose_name_plural = _("代理设置")
        constraints = [
            models.UniqueConstraint(fields=["user"], name="one_out_of_office_per_user"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="out_of_office_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.agent_id}"

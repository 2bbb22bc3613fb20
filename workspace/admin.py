"""The workspace's records in the admin: read-only (they are what a customer did, or a link's
history), except the alignment questions, which programme admins also edit on their page."""

from django.contrib import admin

from common.conflicts import RevisionAdminMixin

from .models import (
    AlignmentQuestion,
    CustomerProposal,
    Invitation,
    JointReview,
    PlanAcceptance,
    ReviewAnswer,
    ReviewResponse,
    WorkspaceComment,
)


class RecordAdmin(admin.ModelAdmin):
    """Shown as it was recorded: nothing is added or changed here."""

    def get_readonly_fields(self, request, obj=None):
        meta = self.model._meta
        return [field.name for field in [*meta.concrete_fields, *meta.many_to_many]]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(RecordAdmin):
    list_display = ("stakeholder", "key_account", "created_at", "expires_at", "revoked_at")
    list_select_related = ("stakeholder", "key_account__customer")
    exclude = ("token_hash",)

    def get_readonly_fields(self, request, obj=None):
        return [f for f in super().get_readonly_fields(request, obj) if f != "token_hash"]


@admin.register(WorkspaceComment)
class WorkspaceCommentAdmin(RecordAdmin):
    list_display = ("stakeholder", "key_account", "created_at")
    list_select_related = ("stakeholder", "key_account__customer")


@admin.register(PlanAcceptance)
class PlanAcceptanceAdmin(RecordAdmin):
    list_display = ("stakeholder", "key_account", "plan_version")
    list_select_related = ("stakeholder", "key_account__customer", "plan_version")


class ReviewAnswerInline(admin.TabularInline):
    model = ReviewAnswer
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in ReviewAnswer._meta.concrete_fields]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ReviewResponse)
class ReviewResponseAdmin(RecordAdmin):
    list_display = ("stakeholder", "joint_review")
    list_select_related = ("stakeholder",)
    inlines = [ReviewAnswerInline]


@admin.register(JointReview)
class JointReviewAdmin(RecordAdmin):
    list_display = ("review", "opened_by")


@admin.register(AlignmentQuestion)
class AlignmentQuestionAdmin(RevisionAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "programme")


@admin.register(CustomerProposal)
class CustomerProposalAdmin(RevisionAdminMixin, RecordAdmin):
    list_display = ("title", "stakeholder", "key_account", "status", "submitted_at")
    list_filter = ("status",)
    list_select_related = ("stakeholder", "key_account__customer")

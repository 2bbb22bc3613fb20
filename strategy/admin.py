from django.contrib import admin

from accounts.admin import ProgrammeAdmin
from accounts.models import Programme
from common.conflicts import RevisionAdminMixin, RevisionInlineMixin

from .models import CriterionScore, RoadmapItem, SelectionCriterion


class RoadmapInline(RevisionInlineMixin, admin.TabularInline):
    model = RoadmapItem
    extra = 0


# The programme's roll-out roadmap is edited on the programme's admin page, as before the
# roadmap moved here: accounts registers the programme, this app adds its roadmap to it.
admin.site.unregister(Programme)


@admin.register(Programme)
class ProgrammeWithRoadmapAdmin(RevisionAdminMixin, ProgrammeAdmin):
    inlines = [*ProgrammeAdmin.inlines, RoadmapInline]


@admin.register(SelectionCriterion)
class SelectionCriterionAdmin(RevisionAdminMixin, admin.ModelAdmin):
    list_display = ("name", "axis", "weight", "position", "archived_at")
    list_filter = ("axis",)
    search_fields = ("name",)


@admin.register(CriterionScore)
class CriterionScoreAdmin(admin.ModelAdmin):
    list_display = ("customer", "criterion", "score", "scored_by", "scored_at")
    list_filter = ("criterion",)
    search_fields = ("customer__name",)
    list_select_related = ("customer", "criterion", "scored_by")

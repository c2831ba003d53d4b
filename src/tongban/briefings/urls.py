from django.urls import path

from tongban.briefings.views import issues, scoring, submissions

app_name = "briefings"

urlpatterns = [
    path("staff/briefings/", submissions.submission_list, name="list"),
    path("staff/briefings/new/", submissions.new, name="new"),
    path("staff/briefings/<id:submission_id>/", submissions.submission, name="submission"),
    path("staff/briefings/<id:submission_id>/edit/", submissions.edit, name="edit"),
    path("staff/briefings/<id:submission_id>/revise/", submissions.revise, name="revise"),
    path("staff/briefings/<id:submission_id>/adopt/", submissions.adopt, name="adopt"),
    path("staff/briefings/<id:submission_id>/reject/", submissions.reject, name="reject"),
    path("staff/briefings/<id:submission_id>/return/", submissions.return_for_revision, name="return"),
    path("staff/briefings/<id:submission_id>/level/", submissions.record_level, name="record_level"),
    path("staff/briefings/<id:submission_id>/withdraw/", submissions.withdraw, name="withdraw"),
    path(
        "staff/briefings/<id:submission_id>/attachments/<id:attachment_id>/",
        submissions.attachment,
        name="attachment",
    ),
    path("staff/briefings/issues/", issues.issue_list, name="issues"),
    path("staff/briefings/publications/new/", issues.new_publication, name="new_publication"),
    path("staff/briefings/publications/<id:publication_id>/issues/new/", issues.new_issue, name="new_issue"),
    path("staff/briefings/issues/<id:issue_id>/", issues.issue, name="issue"),
    path("staff/briefings/issues/<id:issue_id>/note/", issues.editor_note, name="editor_note"),
    path(
        "staff/briefings/issues/<id:issue_id>/entries/<id:entry_id>/<slug:direction>/",
        issues.move,
        name="move",
    ),
    path("staff/briefings/issues/<id:issue_id>/publish/", issues.publish, name="publish"),
    path("staff/briefings/issues/<id:issue_id>/circulate/", issues.circulate, name="circulate"),
    path("staff/briefings/issues/<id:issue_id>/pdf/", issues.pdf, name="pdf"),
    path("staff/briefings/reading/", issues.reading, name="reading"),
    path("staff/briefings/reading/<id:issue_id>/", issues.read, name="read"),
    path("staff/briefings/ranking/", scoring.ranking, name="ranking"),
    path("staff/briefings/ranking.csv", scoring.ranking_export, name="ranking_export"),
    path("staff/briefings/scoring/", scoring.scoring_settings, name="scoring"),
    path("staff/briefings/scoring/new/", scoring.new_level, name="new_level"),
    path("staff/briefings/scoring/<id:level_id>/", scoring.update_level, name="update_level"),
]

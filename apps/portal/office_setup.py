"""Registrations (audit labels, demo seeders, staff-home cards) made when the app is ready."""

from django.utils.translation import gettext_lazy as _

# After the public site's seeder (which creates the pages the royalties refer to).
SEED_ORDER = 950


def ready():
    from apps.audit.labels import register_labels
    from apps.core import demo
    from apps.core.modules import Module, register

    # importing workflow registers the machines; the audit timeline keeps the labels below
    from . import royalties_access, royalties_admin, royalties_seed, workflow  # noqa: F401

    register_labels(
        {
            "question_submit": _("Question received"),
            "question_assign": _("Question assigned to a unit"),
            "question_answer": _("Answer written"),
            "question_return": _("Answer returned to the unit"),
            "question_approve": _("Answer approved"),
            "question_publish": _("Question and answer published"),
            "question_unpublish": _("Question withdrawn from the portal"),
            "question_send_private": _("Answer sent by e-mail"),
            "question_reject": _("Question not accepted"),
            "royalty_item_saved": _("Royalty recorded"),
            "royalty_contributor_saved": _("Contributor saved"),
            "royalty_list_created": _("Royalty payment list created"),
            "royalty_list_item_removed": _("Item taken off a payment list"),
            "royalty_list_approve": _("Royalty payment list approved"),
            "royalty_list_reopen": _("Royalty payment list reopened"),
            "royalty_list_pay": _("Royalty payment list paid"),
        }
    )
    register(
        Module(
            "portal_office",
            _("Portal editorial office"),
            _("Citizen questions and answers, royalties and payment lists of the web portal."),
            "portal:office_questions",
            "messages",
            royalties_access.is_staff_user,
        )
    )
    royalties_admin.register()

    from apps.core.personal_data import register_part, register_retention

    from . import personal_data

    register_part(personal_data.PART)
    register_retention(personal_data.RETENTION)
    demo.register_seeder("portal_office", royalties_seed.seed, order=SEED_ORDER)

from django.apps import AppConfig


class NoticesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cso.notices"
    verbose_name = "通知"

    def ready(self):
        # Notices listen to the apps below them; those apps know nothing of notices.
        from cso.applications import notifying
        from cso.applications.signals import application_moved

        from . import receivers, services

        application_moved.connect(receivers.application_moved, dispatch_uid="notices.application_moved")
        notifying.connect(services.notify)

        from cso.supervision.signals import annual_report_moved, annual_report_reminder

        annual_report_reminder.connect(receivers.annual_report_reminder, dispatch_uid="notices.annual_report_reminder")
        annual_report_moved.connect(receivers.annual_report_moved, dispatch_uid="notices.annual_report_moved")
        from cso.supervision.signals import evaluation_expiring

        evaluation_expiring.connect(receivers.evaluation_expiring, dispatch_uid="notices.evaluation_expiring")
        from cso.supervision.signals import credit_objection_filed

        credit_objection_filed.connect(receivers.credit_objection_filed, dispatch_uid="notices.credit_objection")
        from cso.funding.services import application_decided, application_submitted

        application_submitted.connect(receivers.funding_submitted, dispatch_uid="notices.funding_submitted")
        application_decided.connect(receivers.funding_decided, dispatch_uid="notices.funding_decided")

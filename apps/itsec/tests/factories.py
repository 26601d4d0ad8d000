import datetime

from django.utils import timezone

from apps.itsec.models import Asset, AssetClass, AssetStatusChange, AssetType, Incident, InformationSystem


def computer_class():
    cls, _ = AssetClass.objects.get_or_create(
        key="may-tinh",
        effective_from=datetime.date(2010, 1, 1),
        defaults={"name": "Máy vi tính", "asset_type": AssetType.COMPUTER, "useful_life_years": 5},
    )
    return cls


def asset(org, code="MT-T1", **fields):
    values = {
        "asset_type": AssetType.COMPUTER,
        "asset_class": computer_class(),
        "name": "Máy tính",
        "organization": org,
        "purchase_date": datetime.date(2019, 1, 1),
    }
    values.update(fields)
    a = Asset.objects.create(code=code, **values)
    AssetStatusChange.objects.create(asset=a, to_state=a.status, effective_on=a.purchase_date)
    return a


def incident(org, reporter, code="SC-T-1"):
    return Incident.objects.create(
        code=code,
        title="Máy tính nhiễm mã độc",
        description="Cảnh báo của phần mềm diệt virus",
        occurred_at=timezone.now(),
        organization=org,
        reported_by=reporter,
    )


def system(org, name="Cổng thông tin", **fields):
    return InformationSystem.objects.create(name=name, organization=org, **fields)


def remediation(system):
    from apps.itsec.models import AssessmentAnswer, RemediationTask, SelfAssessment
    from apps.itsec.requirements import checklist, ensure_requirement_sets

    ensure_requirement_sets()
    rs, items = checklist(2)
    assessment = SelfAssessment.objects.create(
        system=system, requirement_set=rs, level=2, performed_on=datetime.date(2024, 1, 1)
    )
    answer = AssessmentAnswer.objects.create(
        assessment=assessment, requirement=items.first(), result="not_met", finding="Thiếu"
    )
    return RemediationTask.objects.create(answer=answer, description="Bổ sung")

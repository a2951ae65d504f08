"""Organisation lookups per legal entity (and tenant): departments, job titles, codes... (family "organisation")."""

from __future__ import annotations

from typing import Tuple

from .parts import LABOR, ONBOARDING, SCHEDULING, TIME, TIME_OFF
from .spec import FanOut, StreamSpec

ROWS: Tuple[StreamSpec, ...] = (
    StreamSpec(
        "departments",
        "/v2/legalentities/{legalEntityId}/departments",
        ("id",),
        description="The department tree of each legal entity, with custom field values.",
    ),
    StreamSpec(
        "job_titles",
        "/v1/legalentities/{legalEntityId}/jobtitles",
        ("jobTitleId",),
        description="The job titles usable in each legal entity (configured per tenant).",
    ),
    StreamSpec(
        "tenant_job_titles",
        "/v1/tenants/{tenantId}/jobtitles",
        ("jobTitleId",),
        description="Every job title of each tenant.",
    ),
    StreamSpec(
        "work_locations",
        "/v2/legalentities/{legalEntityId}/worklocations",
        ("id",),
        description="The work locations of each legal entity, with payroll custom values.",
    ),
    StreamSpec(
        "tenant_work_locations",
        "/v1/tenants/{tenantId}/worklocations",
        ("id",),
        description="Every work location of each tenant.",
    ),
    StreamSpec(
        "pay_groups",
        "/v1/legalentities/{legalEntityId}/payGroups",
        ("payGroupId",),
        description="The pay groups (payroll frequency groups) of each legal entity.",
    ),
    StreamSpec(
        "earning_codes",
        "/v1/legalentities/{legalEntityId}/earnings",
        ("id",),
        description="The earning codes set up in each legal entity.",
    ),
    StreamSpec(
        "deduction_codes",
        "/v1/legalentities/{legalEntityId}/deductions",
        ("id",),
        description="The deduction codes set up in each legal entity.",
    ),
    StreamSpec(
        "tax_codes",
        "/v1/legalentities/{legalEntityId}/taxes",
        ("legalEntityTaxId",),
        description="The taxes each legal entity files.",
    ),
    StreamSpec(
        "status_reasons",
        "/v1/legalentities/{legalEntityId}/statusReasons/{statusCategory}",
        ("statusCategory", "id"),
        each={"statusCategory": ("TerminationReason", "LeaveReason", "ReturnReason")},
        description="The termination, leave and return reasons of each legal entity.",
    ),
    StreamSpec(
        "certification_organizations",
        "/v1/legalentities/{legalEntityId}/certificationOrganizations",
        ("certificationOrganizationId",),
        description="The organizations that issue employee certifications.",
    ),
    StreamSpec(
        "certifications",
        "/v1/legalentities/{legalEntityId}/certifications",
        ("certificationId",),
        description="The certifications employees of each legal entity can hold.",
    ),
    StreamSpec(
        "time_off_types",
        "/v1/legalentities/{legalEntityId}/timeofftypes",
        ("id",),
        product=TIME_OFF,
        description="The time-off types (vacation, sick, ...) of each legal entity.",
    ),
    StreamSpec(
        "time_off_plans",
        "/v1/legalentities/{legalEntityId}/timeoffplans",
        ("timeOffPlanId",),
        product=TIME_OFF,
        description="The time-off (accrual) plans of each legal entity.",
    ),
    StreamSpec(
        "activity_types",
        "/v1/legalentities/{legalEntityId}/activitytypes",
        ("id",),
        product=(*TIME, *SCHEDULING),
        description="The activity types punches, hours and shifts can carry.",
    ),
    StreamSpec(
        "manager_profiles",
        "/v1/legalentities/{legalEntityId}/managerprofiles",
        ("profileId",),
        product=TIME,
        description="The Perform Time manager profiles: what each manager may see and approve.",
    ),
    StreamSpec(
        "reason_codes",
        "/v1/legalentities/{legalEntityId}/reasonCodes",
        ("reasonCodeId",),
        product=TIME,
        description="The reason codes of time data (missed punches, edits).",
    ),
    StreamSpec(
        "schedule_groups",
        "/v1/legalentities/{legalEntityId}/schedulegroups",
        ("id",),
        product=SCHEDULING,
        description="The schedule groups of Paycor Scheduling.",
    ),
    StreamSpec(
        "scheduling_jobs",
        "/v1/legalentities/{legalEntityId}/SchedulingJobs",
        ("schedulingJobId",),
        product=SCHEDULING,
        description="The jobs shifts are scheduled for in Paycor Scheduling.",
    ),
    StreamSpec(
        "work_sites",
        "/v1/legalentities/{legalEntityId}/worksites",
        ("id",),
        product=SCHEDULING,
        description="The work sites (with address) shifts take place at.",
    ),
    StreamSpec(
        "labor_categories",
        "/v1/legalentities/{legalEntityId}/laborcategories",
        ("laborCategoryId",),
        product=LABOR,
        description="The labor (job) categories of job costing.",
    ),
    StreamSpec(
        "labor_codes",
        "/v2/legalentities/{legalEntityId}/laborcodewithrates",
        ("id",),
        product=LABOR,
        description="The labor (job) codes of job costing, with their rates.",
    ),
    StreamSpec(
        "labor_profiles",
        "/v1/legalentities/{legalEntityId}/laborprofiles",
        ("laborProfileId",),
        product=LABOR,
        description="The labor profiles: sets of labor codes assigned to employees.",
    ),
    StreamSpec(
        "labor_profile_labor_codes",
        "/v1/legalentities/{legalEntityId}/laborprofiles/{laborProfileId}/laborcodes",
        ("laborProfileId", "laborCodeId"),
        product=LABOR,
        fan_out=FanOut("labor_profiles", {"laborProfileId": "laborProfileId"}),
        skip_not_found=True,
        description="The labor codes of each labor profile (one call per labor profile).",
    ),
    StreamSpec(
        "i9_delegate_users",
        "/v1/legalentities/{legalEntityId}/I9DelegateUsers",
        ("i9DelegateUserId",),
        product=ONBOARDING,
        description="The users who may complete I-9 verification on the employer's behalf.",
    ),
    StreamSpec(
        "onboarding_notification_users",
        "/v1/legalentities/{legalEntityId}/OnboardingNotificationUsers",
        ("onboardingNotificationUserId",),
        product=ONBOARDING,
        description="The users notified about onboarding progress.",
    ),
)

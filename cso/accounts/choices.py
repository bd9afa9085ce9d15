from django.db import models

from cso.regions import codes


class Role(models.TextChoices):
    ADMIN = "admin", "系统管理员"
    CIVIL_AFFAIRS = "civil_affairs", "民政部门工作人员"
    # Staff of the body that registers social organizations (登记管理机关): in some counties a
    # 行政审批服务管理局 apart from the 民政局 that supervises (seed 000); registration and
    # supervision are separate roles.
    REGISTRAR = "registrar", "登记管理机关工作人员"
    STREET = "street", "街道（乡镇）工作人员"
    COMMUNITY = "community", "社区（村）工作人员"
    OPERATOR = "operator", "孵化基地/枢纽组织运营方"
    ORGANIZATION = "organization", "社会组织账号"


# Which division levels each role may be bound to.
ROLE_LEVELS = {
    Role.ADMIN: (codes.PROVINCE, codes.CITY, codes.COUNTY),
    Role.CIVIL_AFFAIRS: (codes.PROVINCE, codes.CITY, codes.COUNTY),
    Role.REGISTRAR: (codes.PROVINCE, codes.CITY, codes.COUNTY),
    Role.STREET: (codes.STREET,),
    Role.COMMUNITY: (codes.COMMUNITY,),
    Role.OPERATOR: (codes.COUNTY, codes.STREET, codes.COMMUNITY),
    Role.ORGANIZATION: (codes.COUNTY, codes.STREET, codes.COMMUNITY),
}

# Government staff roles: they work on the data of their subtree.
STAFF_ROLES = (Role.ADMIN, Role.CIVIL_AFFAIRS, Role.REGISTRAR, Role.STREET, Role.COMMUNITY)
# Accounts of an organization or of an incubation base's operator: they read only what is linked to them.
LINKED_ROLES = (Role.OPERATOR, Role.ORGANIZATION)
# Roles that manage accounts inside their own subtree.
ACCOUNT_MANAGER_ROLES = (Role.ADMIN, Role.CIVIL_AFFAIRS, Role.STREET)


def role_rank(role: str, level: int | None, is_superuser: bool = False) -> int:
    """A number that orders authority: nobody may create or raise an account above their own.

    Civil-affairs staff rank by level (province > city > county); then street, community,
    operator and organization accounts.
    """
    if is_superuser:
        return 1000
    if role == Role.ADMIN:
        return 200 - (level or 0)
    if role in (Role.CIVIL_AFFAIRS, Role.REGISTRAR):
        return 100 - (level or 0)
    return {
        Role.STREET: 60,
        Role.COMMUNITY: 50,
        Role.OPERATOR: 30,
        Role.ORGANIZATION: 20,
    }.get(role, 0)


def role_label(role: str, level: int | None) -> str:
    """"市级民政部门工作人员" etc."""
    label = Role(role).label if role in Role.values else role
    if role in (Role.CIVIL_AFFAIRS, Role.REGISTRAR, Role.ADMIN) and level in (codes.PROVINCE, codes.CITY, codes.COUNTY):
        return {codes.PROVINCE: "省级", codes.CITY: "市级", codes.COUNTY: "县级"}[level] + label
    return label

"""Demo data for the core: the demo people (with their global groups) and the admin user.
The programme, customers and key accounts come from Stage 1 (strategy.demo_data)."""

from django.contrib.auth.models import Group

from .models import EXECUTIVE_GROUP, PROGRAMME_ADMIN_GROUP, User

# username, first, last, job title, global group
PEOPLE = [
    ("director", "Dana", "Fischer", "Key account director, Food & Retail", None),
    ("director2", "Tomás", "Ortega", "Key account director, Industry", None),
    ("manager", "Max", "Keller", "Key account manager", None),
    ("manager2", "Priya", "Shah", "Key account manager", None),
    ("coordinator", "Chloé", "Martin", "Key account coordinator", None),
    ("teammember", "Sven", "Lund", "Supply chain planner", None),
    ("financeanalyst", "Amara", "Okafor", "Commercial finance analyst", None),
    ("executive", "Elena", "Rossi", "Chief commercial officer", EXECUTIVE_GROUP),
    ("progadmin", "Paul", "Nguyen", "Sales operations lead", PROGRAMME_ADMIN_GROUP),
]


def _user(ctx, username, first, last, title, group_name):
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "job_title": title,
            "email": f"{username}@example.com",
        },
    )
    if created:
        user.set_password(ctx.password)
        user.save(update_fields=["password"])
    if group_name:
        user.groups.add(Group.objects.get_or_create(name=group_name)[0])
    return user


def seed(ctx) -> None:
    for username, first, last, title, group in PEOPLE:
        ctx.users[username] = _user(ctx, username, first, last, title, group)
    admin, created = User.objects.get_or_create(
        username="admin",
        defaults={
            "is_staff": True,
            "is_superuser": True,
            "first_name": "Site",
            "last_name": "Admin",
        },
    )
    if created:
        admin.set_password(ctx.password)
        admin.save(update_fields=["password"])

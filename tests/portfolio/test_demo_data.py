from django.core.management import call_command

from accounts.models import AccountEvent


def test_demo_records_class_changes_once_and_the_matrix_shows_them(client, db):
    call_command("seed_demo", "--force")
    changes = AccountEvent.objects.filter(kind=AccountEvent.Kind.CLASS_CHANGED)
    first = sorted(changes.values_list("key_account__customer__reference", "old_value"))
    assert first == [("C-1004", "strategic"), ("C-1008", "streamline")]
    call_command("seed_demo", "--force")
    assert changes.count() == 2
    from accounts.models import User

    client.force_login(User.objects.get(username="executive"))
    response = client.get("/portfolio/")
    assert response.status_code == 200
    assert len(response.context["matrix"]["ghosts"]) == 2
    assert "was Streamline until" in response.content.decode()

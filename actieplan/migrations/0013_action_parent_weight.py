import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Sub-actions (parent and optional weight) and the index of the list's default order."""

    dependencies = [
        ("actieplan", "0012_meetings"),
    ]

    operations = [
        migrations.AddField(
            model_name="action",
            name="parent",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="children",
                to="actieplan.action", verbose_name="hoofdactie",
                help_text="Maak hiervan een subactie van een andere actie in hetzelfde samenwerkingsverband."),
        ),
        migrations.AddField(
            model_name="action",
            name="weight",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, validators=[django.core.validators.MinValueValidator(1)],
                verbose_name="gewicht",
                help_text="Optioneel: hoe zwaar deze subactie meetelt in de voortgang van de hoofdactie "
                          "(leeg telt als 1)."),
        ),
        migrations.AddIndex(
            model_name="action",
            index=models.Index(
                models.Case(models.When(status__in=["open", "bezig", "geblokkeerd"], then=models.Value(0)),
                            default=models.Value(1), output_field=models.IntegerField()),
                models.F("deadline"), models.F("id"), name="action_active_first"),
        ),
    ]

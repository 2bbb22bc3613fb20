from django.apps import AppConfig


class StrategyConfig(AppConfig):
    """Stage 1: selection criteria and scores, candidate customers, the classification
    matrix, the roll-out roadmap, selection and de-selection."""

    name = "strategy"
    verbose_name = "Strategy: criteria, scores, roadmap and selection"

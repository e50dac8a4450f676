"""Issue 14: `synd alarms` evaluates template.yaml's alarms as CloudWatch does (the last
EvaluationPeriods periods, DatapointsToAlarm of them breaching, missing data as TreatMissingData says)."""
from __future__ import annotations

from dataclasses import replace

from synd.commands.alarms import ALARM, INSUFFICIENT, OK, AlarmRule, evaluate, physical_names, template_rules
from synd.local.runner import TEMPLATE

RULE = AlarmRule("IngestDLQAlarm", "AWS/SQS", "ApproximateNumberOfMessagesVisible",
                 [("QueueName", {"Fn::GetAtt": ["IngestDLQ", "QueueName"]})], "Maximum", 60, 1, 1, 0.0,
                 "GreaterThanThreshold", "notBreaching")


def test_every_alarm_of_the_template_is_read_with_its_definition():
    rules = {r.logical_id: r for r in template_rules(TEMPLATE)}
    assert {"IngestDLQAlarm", "PublishDLQAlarm", "IngestErrorsAlarm", "PausedTargetAlarm"} <= set(rules)
    dlq = rules["IngestDLQAlarm"]
    assert (dlq.namespace, dlq.metric, dlq.statistic, dlq.period, dlq.threshold, dlq.comparison) == (
        "AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum", 60, 0.0, "GreaterThanThreshold")
    assert dlq.dimensions == [("QueueName", {"Fn::GetAtt": ["IngestDLQ", "QueueName"]})]
    assert rules["PausedTargetAlarm"].dimensions == [("service", "publish")]


def test_a_value_over_the_threshold_is_alarm_and_at_it_ok():
    assert evaluate(RULE, [1.0]) == ALARM
    assert evaluate(RULE, [0.0]) == OK


def test_missing_data_counts_as_the_alarm_says():
    assert evaluate(RULE, []) == OK  # notBreaching
    assert evaluate(replace(RULE, treat_missing="breaching"), []) == ALARM
    assert evaluate(replace(RULE, treat_missing="missing"), [None]) == INSUFFICIENT
    assert evaluate(replace(RULE, treat_missing="ignore"), []) == INSUFFICIENT


def test_m_out_of_n_periods_must_breach():
    three = replace(RULE, evaluation_periods=3, datapoints_to_alarm=2)
    assert evaluate(three, [1.0, 0.0, 0.0]) == OK
    assert evaluate(three, [1.0, 0.0, 5.0]) == ALARM
    assert evaluate(replace(three, comparison="LessThanOrEqualToThreshold", threshold=1.0), [1.0, 2.0, 0.5]) == ALARM


def test_only_the_newest_evaluation_periods_count():
    assert evaluate(RULE, [0.0, 9.0, 9.0]) == OK


def test_the_names_cloudformation_gave_are_read_off_the_stacks_alarms():
    deployed = {"IngestDLQAlarm": {"Dimensions": [{"Name": "QueueName", "Value": "s-IngestDLQ-X1"}]}}
    assert physical_names([RULE], deployed) == {"IngestDLQ": "s-IngestDLQ-X1"}
    assert physical_names([RULE], {}) == {}

"""bench/first_paint.py's arithmetic: which long task is Plotly's evaluation, run-by-run differences, cells."""

from bench.first_paint import breakdown, paired_differences, plotly_evaluation, summarise


def test_plotly_evaluation_is_the_first_long_task_after_the_module_arrived():
    tasks = [[900.0, 800.0], [2100.0, 120.0], [2300.0, 1200.0], [4000.0, 900.0]]
    assert plotly_evaluation(tasks, arrived=2000.0) == 2300.0  # the short task at 2100 is drawing
    assert plotly_evaluation(tasks, arrived=5000.0) is None
    assert plotly_evaluation(tasks, arrived=None) is None


def test_differences_pair_each_run_with_the_yardstick_of_the_same_run():
    runs = {
        "trang tối thiểu": [{"card": 2.0, "chart": 4.0}, {"card": 5.0, "chart": 9.0}],
        "Tổng quan": [{"card": 2.5, "chart": 4.5}, {"card": 5.1, "chart": 8.0}],
    }
    diff = paired_differences(runs, "trang tối thiểu")["Tổng quan"]
    assert abs(diff["card"]["min"] - 0.1) < 1e-9
    assert abs(diff["card"]["max"] - 0.5) < 1e-9
    assert abs(diff["chart"]["min"] + 1.0) < 1e-9  # a run where the overview's chart came first


def test_the_breakdown_reads_the_vietnamese_way():
    runs = [
        {
            "card": 2.0,
            "chart": 4.0,
            "metric_module": 1.5,
            "plotly_module": 2.25,
            "plotly_evaluation": 2.5,
            "card_first": 1.0,
        },
        {
            "card": 4.0,
            "chart": 5.0,
            "metric_module": 1.75,
            "plotly_module": 2.5,
            "plotly_evaluation": 2.75,
            "card_first": 0.0,
        },
    ]
    results = {"Tổng quan": summarise(runs)}
    differences = {
        "Tổng quan": {
            "card": {"median": -0.25, "min": -1.5, "max": 0.5},
            "chart": {"median": 1.0, "min": 1.0, "max": 1.0},
        }
    }
    text = breakdown(results, differences, [6.04, 7.5])
    assert "| Tổng quan | 1,62 (1,50–1,75) | 2,38 (2,25–2,50) | 2,62 (2,50–2,75) | 50 % |" in text
    assert "thẻ −0,25 (−1,50 … +0,50) s" in text
    assert "6,8 (6,0–7,5)" in text

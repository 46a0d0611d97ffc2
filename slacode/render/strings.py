"""The generated pages' own words, in English and Chinese, from one table.

Templates call ``t("key")``; the language comes from the build (``theme.language``
or the ``language`` setting). A key missing in one language falls back to English,
and a test checks that both languages have every key.
"""

from __future__ import annotations

LANGUAGES = ("en", "zh")

STRINGS: dict[str, dict[str, str]] = {
    # verdicts and statuses
    "verdict.met": {"en": "Met", "zh": "达标"},
    "verdict.breached": {"en": "Breached", "zh": "未达标"},
    "verdict.on-track": {"en": "On track", "zh": "进展正常"},
    "verdict.at-risk": {"en": "At risk", "zh": "有风险"},
    "verdict.below-target": {"en": "Below target, recoverable", "zh": "低于目标，仍可挽回"},
    "verdict.cannot-recover": {"en": "Cannot recover this period", "zh": "本周期已无法达标"},
    "verdict.no-data": {"en": "No data", "zh": "无数据"},
    "verdict.insufficient-data": {"en": "Insufficient data", "zh": "数据不足"},
    # what each verdict means: the About page's definitions (slacode.evaluate.budget decides)
    "verdict_def.met": {
        "en": "The period has ended and the objective met its target.",
        "zh": "周期已结束，指标达到了目标。"},
    "verdict_def.breached": {
        "en": "The period has ended and the objective missed its target. A breached "
              "period may earn a service credit.",
        "zh": "周期已结束，指标未达到目标。未达标的周期可能产生服务赔偿。"},
    "verdict_def.on-track": {
        "en": "The period is still open. The figure so far meets the target, and so does "
              "the figure expected at the period's end at the recent rate.",
        "zh": "周期尚未结束。目前的数值达到目标，按近期速度预计周期结束时也能达到。"},
    "verdict_def.at-risk": {
        "en": "The period is still open. The figure so far meets the target, but at the "
              "recent rate the period ends below it.",
        "zh": "周期尚未结束。目前的数值达到目标，但按近期速度周期结束时会低于目标。"},
    "verdict_def.below-target": {
        "en": "The period is still open and the figure so far is below the target. If the "
              "rest of the period goes well, it can still end on target.",
        "zh": "周期尚未结束，目前的数值低于目标。如果剩余时间表现良好，仍可在周期结束时达标。"},
    "verdict_def.cannot-recover": {
        "en": "The period is still open, but it will end below the target even if "
              "everything still to come in it is good (counting as many requests, tickets "
              "or answers in the rest of the period as its rate so far brings).",
        "zh": "周期尚未结束，但即使剩余时间内的一切都正常（按目前的速度估算剩余的请求、"
              "工单或回复数量），周期结束时仍会低于目标。"},
    "verdict_def.no-data": {
        "en": "There was not enough data to judge the period. Missing data is never "
              "counted as good.",
        "zh": "数据不足以评判该周期。缺失的数据绝不算作达标。"},
    "verdict_def.insufficient-data": {
        "en": "Too few survey responses were received to judge a satisfaction objective "
              "for the period (the agreement sets the minimum). Like no data, it is never "
              "counted as met.",
        "zh": "收到的调查回复太少，无法评判该周期的满意度指标（最低数量由协议规定）。"
              "与无数据一样，绝不算作达标。"},
    "nav.services": {"en": "Services", "zh": "服务"},
    "nav.reports": {"en": "Period reports", "zh": "周期报告"},
    # period reports
    "reports.title": {"en": "Period reports", "zh": "周期报告"},
    "reports.intro": {
        "en": "How every service did in each calendar period, with the change from the "
              "period before and the credits owed. Closed periods show their frozen figures.",
        "zh": "每个日历周期内各服务的表现，以及与上一周期相比的变化和应付的服务赔偿。"
              "已结束的周期显示冻结的数据。",
    },
    "reports.kind_month": {"en": "Months", "zh": "月度"},
    "reports.kind_quarter": {"en": "Quarters", "zh": "季度"},
    "reports.kind_year": {"en": "Years", "zh": "年度"},
    "reports.results": {"en": "Results", "zh": "结果"},
    "reports.credits": {"en": "Credits owed", "zh": "应付赔偿"},
    "reports.one": {"en": "Report {period}", "zh": "{period} 报告"},
    "reports.open": {"en": "This period is still open: its figures change until it ends.",
                     "zh": "本周期尚未结束，数据会持续变化。"},
    "reports.change": {"en": "Change", "zh": "变化"},
    "reports.pp": {"en": "{value} pp", "zh": "{value} 个百分点"},
    "reports.all": {"en": "All period reports", "zh": "全部周期报告"},
    "reports.rollup": {"en": "Objectives judged over shorter periods",
                       "zh": "按更短周期评估的目标"},
    "reports.rollup_note": {
        "en": "These objectives are judged per month (in a year's report, also per quarter), "
              "so they have no figure for this whole period. Each row lists the objective's "
              "periods within this one, each with its own figure and verdict, and the credits "
              "owed for them (included in the credits owed above). Figures are not averaged.",
        "zh": "这些目标按月（年度报告中也包括按季度）评估，因此没有整个本周期的数值。"
              "每一行列出该目标在本周期内的各个周期及其各自的数值和结论，以及为这些周期应付的赔偿"
              "（已计入上方的应付赔偿）。各周期的数值不做平均。",
    },
    "reports.rollup_judged_month": {"en": "judged monthly", "zh": "按月评估"},
    "reports.rollup_judged_quarter": {"en": "judged quarterly", "zh": "按季度评估"},
    "reports.rollup_periods": {"en": "Periods", "zh": "周期"},
    "reports.rollup_short": {"en": "shorter periods:", "zh": "更短周期："},
    "reports.rollup_figures": {"en": "Figure per period / target", "zh": "各周期数值 / 目标"},
    "reports.rollup_met": {"en": "{met} of {total} met", "zh": "{total} 个周期中 {met} 个达标"},
    # overview
    "overview.title": {"en": "Service status", "zh": "服务状态"},
    "overview.intro": {
        "en": "How each service is doing against its agreement in the current period. "
        "Select a service for its full agreement, history and credits.",
        "zh": "各项服务在当前周期内相对其服务级别协议的表现。"
        "选择一项服务查看完整协议、历史和赔偿。",
    },
    "overview.service": {"en": "Service", "zh": "服务"},
    "overview.figures": {"en": "This period: figure / target", "zh": "本周期：实际值 / 目标"},
    "overview.budget": {"en": "Error budget left", "zh": "剩余错误预算"},
    "overview.maintenance": {"en": "Next maintenance", "zh": "下次维护"},
    "overview.none": {"en": "None planned", "zh": "无计划"},
    "overview.no_services": {
        "en": "No services are published for this audience.",
        "zh": "此受众没有已发布的服务。",
    },
    "overview.group_owner": {"en": "Owned by {owner}", "zh": "负责团队：{owner}"},
    "overview.no_owner": {"en": "Other services", "zh": "其他服务"},
    "overview.data": {"en": "Data and feeds", "zh": "数据与订阅"},
    # common
    "common.evaluated": {"en": "Evaluated at {when}", "zh": "评估时间：{when}"},
    "common.built": {"en": "Built {when}", "zh": "构建时间：{when}"},
    "common.as_of": {"en": "Data as of {when}", "zh": "数据截至 {when}"},
    "common.as_of_none": {"en": "No data received yet", "zh": "尚未收到数据"},
    "common.target": {"en": "Target", "zh": "目标"},
    "common.figure": {"en": "Figure", "zh": "实际值"},
    "common.verdict": {"en": "Verdict", "zh": "结论"},
    "common.period": {"en": "Period", "zh": "周期"},
    "common.credit": {"en": "Credit", "zh": "赔偿"},
    "common.objective": {"en": "Objective", "zh": "指标"},
    "common.window": {"en": "Window", "zh": "统计周期"},
    "common.measured_by": {"en": "Measured by", "zh": "度量方式"},
    "common.none": {"en": "None", "zh": "无"},
    "common.yes": {"en": "Yes", "zh": "是"},
    "common.no": {"en": "No", "zh": "否"},
    "common.open": {"en": "open", "zh": "进行中"},
    "common.start": {"en": "Start", "zh": "开始"},
    "common.end": {"en": "End", "zh": "结束"},
    "common.description": {"en": "Description", "zh": "说明"},
    "common.contact": {"en": "Contact", "zh": "联系方式"},
    "common.version": {
        "en": "Version {version}, effective {date}",
        "zh": "版本 {version}，生效日期 {date}",
    },
    "common.coverage": {"en": "data coverage {pct}", "zh": "数据覆盖率 {pct}"},
    "common.projection": {"en": "projected {value} at period end", "zh": "预计周期末 {value}"},
    "common.no_data_mark": {"en": "no data", "zh": "无数据"},
    "common.nothing": {"en": "Nothing to show.", "zh": "暂无内容。"},
    # service page
    "svc.status": {"en": "This period", "zh": "本周期"},
    "svc.budget": {"en": "Error budget", "zh": "错误预算"},
    "svc.budget_left": {
        "en": "{pct} of the error budget left ({remaining} of {allowed} {unit})",
        "zh": "剩余错误预算 {pct}（{allowed} {unit}中剩余 {remaining}）",
    },
    "svc.budget_left_whole": {
        "en": "Error budget: {remaining} of {allowed} {unit} may still miss the target",
        "zh": "错误预算：允许 {allowed} {unit}未达标，还剩 {remaining}",
    },
    "svc.budget_over": {
        "en": "Error budget used up: {over} {unit} over the {allowed} allowed",
        "zh": "错误预算已用尽：比允许的 {allowed} {unit}多出 {over}",
    },
    # what an error budget counts (evaluation's Budget.unit)
    "budget_unit.events": {"en": "events", "zh": "次请求"},
    "budget_unit.requests": {"en": "requests", "zh": "次请求"},
    "budget_unit.slices": {"en": "slices", "zh": "个时间片"},
    "budget_unit.responses": {"en": "responses", "zh": "份回复"},
    "budget_unit.incidents": {"en": "incidents", "zh": "个事件"},
    "budget_unit.complaints": {"en": "complaints", "zh": "件投诉"},
    "svc.budget_none": {"en": "No error budget for this period", "zh": "本周期无错误预算"},
    "svc.burn": {"en": "burn rate {rate}", "zh": "消耗速率 {rate}"},
    "common.clause_sep": {"en": ", ", "zh": "，"},  # between parts of one sentence
    "common.list_sep": {"en": ", ", "zh": "、"},  # between the items of a list
    "svc.daily": {"en": "Last 90 days", "zh": "最近 90 天"},
    "svc.daily_chart": {
        "en": "{objective}: daily figure for the last 90 days against target {target}",
        "zh": "{objective}：最近 90 天每日实际值，目标 {target}",
    },
    "svc.daily_table": {"en": "Daily figures as a table", "zh": "以表格查看每日数值"},
    "svc.day": {"en": "Day", "zh": "日期"},
    "svc.periods": {"en": "Past periods", "zh": "历史周期"},
    "svc.trend_chart": {
        "en": "{objective}: figure of each closed period against target {target}",
        "zh": "{objective}：各已结束周期的实际值，目标 {target}",
    },
    "svc.trend_legend": {
        "en": "Closed periods, oldest first; the line is the target ({target}).",
        "zh": "已结束周期，按时间先后排列；横线为目标（{target}）。",
    },
    "svc.breaches": {"en": "What was missed", "zh": "未达成事项"},
    # after a miss (their own spacing: Chinese brackets and semicolons take none)
    "svc.more_misses": {"en": " (and {n} more)", "zh": "（另有 {n} 项）"},
    "svc.miss_sep": {"en": "; ", "zh": "；"},
    "svc.incidents": {"en": "Incidents", "zh": "事件"},
    "svc.inc_id": {"en": "Incident", "zh": "事件编号"},
    "svc.inc_priority": {"en": "Priority", "zh": "优先级"},
    "svc.inc_opened": {"en": "Opened", "zh": "创建时间"},
    "svc.inc_response": {"en": "First response", "zh": "首次响应"},
    "svc.inc_resolved": {"en": "Resolved", "zh": "解决时间"},
    "svc.inc_title": {"en": "Summary", "zh": "摘要"},
    "svc.recovery.recovery-time": {"en": "RTO", "zh": "RTO"},
    "svc.recovery.recovery-point": {"en": "RPO", "zh": "RPO"},
    "svc.recovery.escalation": {"en": "Escalation", "zh": "升级"},
    "svc.outcome.met": {"en": "met", "zh": "达成"},
    "svc.outcome.missed": {"en": "missed", "zh": "未达成"},
    "svc.outcome.pending": {"en": "pending", "zh": "待定"},
    "svc.outcome.unknown": {"en": "not recorded", "zh": "未记录"},
    "svc.complaints_received": {"en": "Complaints received", "zh": "收到的投诉"},
    "svc.cmp_count": {"en": "Complaints", "zh": "投诉数"},
    "svc.cmp_channel": {"en": "By channel", "zh": "按渠道"},
    "svc.cmp_category": {"en": "By category", "zh": "按类别"},
    "svc.maintenance": {"en": "Maintenance", "zh": "维护"},
    "svc.maint_upcoming": {"en": "Upcoming maintenance", "zh": "即将进行的维护"},
    "svc.maint_past": {"en": "Past maintenance windows", "zh": "历史维护窗口"},
    "svc.maint_announced": {"en": "Announced", "zh": "通知时间"},
    "svc.maint_excluded": {"en": "Excluded from figures", "zh": "不计入统计"},
    "svc.maint_late": {
        "en": "No: announced with less notice than agreed",
        "zh": "否：通知时间短于约定",
    },
    # a window (partly) beyond the agreement's maintenance.max_per_month: downtime
    "svc.maint_over_cap": {
        "en": "No: beyond the {max} a month agreed",
        "zh": "否：超出每月约定的上限 {max}",
    },
    "svc.maint_over_cap_part": {
        "en": "Partly: {over} beyond the {max} a month agreed count as downtime",
        "zh": "部分：超出每月约定上限 {max}的 {over}计为停机时间",
    },
    "svc.maint_notice": {"en": "Required notice: {notice}.", "zh": "须提前通知：{notice}。"},
    "svc.maint_max": {
        "en": "At most {max} of maintenance per month.",
        "zh": "每月维护时间不超过 {max}。",
    },
    "svc.agreement": {"en": "The agreement", "zh": "协议内容"},
    "svc.parties": {"en": "Parties", "zh": "协议双方"},
    "svc.provider": {"en": "Provider", "zh": "服务提供方"},
    "svc.customer": {"en": "Customer", "zh": "客户"},
    "svc.scope": {"en": "Scope", "zh": "服务范围"},
    "svc.included": {"en": "Included", "zh": "包含"},
    "svc.excluded": {"en": "Not included", "zh": "不包含"},
    "svc.plans": {"en": "Plans", "zh": "服务套餐"},
    "svc.plan": {"en": "Plan", "zh": "套餐"},
    "svc.monthly_fee": {"en": "Monthly fee", "zh": "月费"},
    "svc.hours": {"en": "Hours and calendars", "zh": "服务时间与日历"},
    "svc.support_hours": {"en": "Support hours: {hours}", "zh": "支持时间：{hours}"},
    "svc.24x7": {"en": "around the clock, every day (24x7)", "zh": "全天候（7x24）"},
    "svc.calendar": {
        "en": "{id}: {days}, {start}–{end} ({tz}){holidays}",
        "zh": "{id}：{days}，{start}–{end}（{tz}）{holidays}",
    },
    "svc.holidays": {
        "en": ", except public holidays ({country})",
        "zh": "，法定节假日（{country}）除外",
    },
    "svc.channels": {"en": "Support channels", "zh": "支持渠道"},
    "svc.reporting": {"en": "Reporting: {text}", "zh": "报告：{text}"},
    "svc.objectives": {"en": "Objectives", "zh": "服务指标"},
    "svc.priorities": {"en": "Incident priorities", "zh": "事件优先级"},
    "svc.priority": {"en": "Priority", "zh": "优先级"},
    "svc.response": {"en": "Response within", "zh": "响应时限"},
    "svc.resolution": {"en": "Resolution within", "zh": "解决时限"},
    "svc.clock": {"en": "Clock", "zh": "计时方式"},
    "svc.credits": {"en": "Service credits", "zh": "服务赔偿"},
    "svc.credit_on": {
        "en": "Credits apply to the objective “{objective}”.",
        "zh": "赔偿依据指标“{objective}”计算。",
    },
    "svc.tier_below": {"en": "Achieved below", "zh": "实际值低于"},
    "svc.tier_credit": {"en": "Credit (of the monthly fee)", "zh": "赔偿（占月费）"},
    "svc.bonus_at_least": {"en": "Achieved at least", "zh": "实际值不低于"},
    "svc.bonus": {"en": "Bonus (of the monthly fee)", "zh": "奖励（占月费）"},
    "svc.claim_by": {"en": "claim by {date}", "zh": "申请截止 {date}"},
    "svc.claim_closed": {"en": "claim window closed {date}", "zh": "申请期已于 {date} 截止"},
    "svc.bonus_earned": {"en": "bonus {bonus}", "zh": "奖励 {bonus}"},
    "svc.cap": {
        "en": "Credits are capped at {cap} of the monthly fee.",
        "zh": "赔偿上限为月费的 {cap}。",
    },
    "svc.claim": {
        "en": "Claims must be made within {within} after the period ends.",
        "zh": "须在周期结束后 {within} 内提出赔偿申请。",
    },
    "svc.fee": {"en": "Monthly fee: {fee}.", "zh": "月费：{fee}。"},
    "svc.responsibilities": {"en": "Responsibilities", "zh": "双方责任"},
    "svc.resp_provider": {"en": "The provider", "zh": "服务提供方"},
    "svc.resp_customer": {"en": "The customer", "zh": "客户"},
    "svc.escalation": {"en": "Escalation", "zh": "升级流程"},
    "svc.level": {"en": "Level", "zh": "级别"},
    "svc.after": {"en": "After", "zh": "触发时间"},
    "svc.complaints": {"en": "Complaints: {text}", "zh": "投诉渠道：{text}"},
    "svc.continuity": {"en": "Risk and continuity", "zh": "风险与业务连续性"},
    "svc.rto": {"en": "Recovery time objective (RTO): {d}", "zh": "恢复时间目标（RTO）：{d}"},
    "svc.rpo": {"en": "Recovery point objective (RPO): {d}", "zh": "恢复点目标（RPO）：{d}"},
    "svc.emergency": {"en": "Emergency contacts", "zh": "紧急联系人"},
    "svc.plans_cont": {"en": "Contingency plans", "zh": "应急预案"},
    "svc.contract": {"en": "Contract and review", "zh": "合同与评审"},
    "svc.contract_ref": {"en": "Contract reference: {ref}", "zh": "合同编号：{ref}"},
    "svc.term": {"en": "Term: {start} to {end}", "zh": "合同期限：{start} 至 {end}"},
    "svc.renewal": {"en": "Renewal: {text}", "zh": "续约：{text}"},
    "svc.review": {
        "en": "Reviewed every {every}; last review {last}; next review due {next}.",
        "zh": "每 {every} 评审一次；上次评审 {last}；下次评审截止 {next}。",
    },
    "svc.review_overdue": {"en": "The review is overdue.", "zh": "评审已逾期。"},
    "svc.depends": {"en": "Depends on: {services}", "zh": "依赖服务：{services}"},
    # the product of the availability of the services this one depends on
    "svc.term_ahead": {"en": "This agreement takes effect on {date}; nothing is judged before.",
                       "zh": "本协议自 {date} 起生效，此前不作评判。"},
    # a version merged for later: announced, not yet the promise
    "svc.accepted": {"en": "accepted by {by} on {date}", "zh": "已由 {by} 于 {date} 验收"},
    "svc.not_accepted": {"en": "not yet accepted by the customer", "zh": "客户尚未验收"},
    "svc.coming": {"en": "Version {version} takes effect on {date}.",
                   "zh": "第 {version} 版将于 {date} 生效。"},
    "svc.coming_changes": {"en": "Until then version {current} applies. What changes:",
                           "zh": "在此之前仍适用第 {current} 版。变更内容："},
    "svc.target_from": {"en": "{target} from {date}", "zh": "自 {date} 起为 {target}"},
    "svc.miss_during": {"en": " (incidents that day: {incidents})",
                        "zh": "（当日事件：{incidents}）"},
    "svc.term_new": {"en": "This agreement took effect on {date}: a period is judged from the "
                           "first one that starts on or after that day.",
                     "zh": "本协议自 {date} 起生效：从该日或之后开始的第一个周期起进行评判。"},
    "svc.term_ending": {"en": "The contract ends on {date}, in {days} days.",
                        "zh": "合同将于 {date} 结束，还剩 {days} 天。"},
    "svc.term_renewal": {"en": "Renewal: {renewal}", "zh": "续约：{renewal}"},
    "svc.term_over": {"en": "The contract ended on {date}; nothing is judged after.",
                      "zh": "合同已于 {date} 结束，此后不作评判。"},
    "svc.composite": {"en": "its dependencies together {value}",
                      "zh": "所依赖服务的合计可用性 {value}"},
    "svc.composite_below": {"en": "its dependencies together {value}, below this target",
                            "zh": "所依赖服务的合计可用性 {value}，低于本目标"},
    "svc.history": {"en": "Change history", "zh": "变更历史"},
    "svc.history_none": {"en": "No recorded changes.", "zh": "暂无变更记录。"},
    "svc.restated": {"en": "Restated", "zh": "已重述"},
    "svc.restated_on": {"en": "restated on {date}", "zh": "于 {date} 重述"},
    "svc.changed": {"en": "Changed", "zh": "变更日期"},
    # a closed period that is not final yet (not frozen): why, and until when
    "svc.provisional": {"en": "Provisional", "zh": "暂定"},
    "svc.provisional_until": {"en": "Provisional until {until}: {why}.",
                              "zh": "暂定至 {until}：{why}。"},
    "svc.provisional_open": {"en": "Provisional: {why}.", "zh": "暂定：{why}。"},
    "svc.hold.late-data": {"en": "measurements of its last hours may still arrive",
                           "zh": "最后几个小时的测量数据仍可能到达"},
    "svc.hold.no-data": {"en": "no data yet, which late data may still change",
                         "zh": "尚无数据，迟到的数据仍可能改变结果"},
    "svc.hold.incident": {"en": "{n} incident(s) still within their target time",
                          "zh": "{n} 个事件仍在目标时间内"},
    "svc.hold.complaint": {"en": "{n} complaint(s) still within their target time",
                           "zh": "{n} 件投诉仍在目标时间内"},
    "svc.hold.survey": {"en": "survey responses for it may still be recorded",
                        "zh": "该周期的满意度调查回复仍可能被记录"},
    "svc.hold.sep": {"en": "; ", "zh": "；"},
    # a frozen period a fresh evaluation disagrees with: the frozen figures stand
    "svc.under_review": {"en": "Under review", "zh": "复核中"},
    "svc.under_review_note": {
        "en": "Under review: a new evaluation of this period disagrees with these figures. "
              "They are the figures published when the period closed, and they stand until "
              "the period is restated or the difference is explained.",
        "zh": "复核中：对本周期的重新评估与这些数据不一致。这些是周期结束时公布的数据，"
              "在本周期数据被重述或差异得到解释之前保持不变。",
    },
    "svc.restatements": {"en": "Restatements", "zh": "数据重述"},
    "svc.data": {"en": "Data for machines", "zh": "机器可读数据"},
    "svc.json": {"en": "Results as JSON", "zh": "JSON 格式结果"},
    "svc.csv": {"en": "Periods as CSV", "zh": "CSV 格式周期数据"},
    "svc.badges": {"en": "Badges", "zh": "徽章"},
    "svc.feed": {"en": "Atom feed", "zh": "Atom 订阅"},
    "svc.internal": {"en": "Internal notes", "zh": "内部备注"},
    "svc.version": {"en": "Version", "zh": "版本"},
    "svc.effective": {"en": "Effective", "zh": "生效日期"},
    "svc.changes": {"en": "Changes", "zh": "变更内容"},
    "svc.reason": {"en": "Reason", "zh": "原因"},
    "svc.was": {"en": "Was", "zh": "原值"},
    "svc.now": {"en": "Now", "zh": "现值"},
    # objective descriptions
    "obj.availability.events": {"en": "Share of successful requests", "zh": "成功请求占比"},
    "obj.availability.slices": {
        "en": "Share of good {slice} intervals (bad above {threshold} errors)",
        "zh": "正常 {slice} 时间片占比（错误率高于 {threshold} 为异常）",
    },
    "obj.latency": {
        "en": "Share of requests faster than {threshold}",
        "zh": "响应快于 {threshold} 的请求占比",
    },
    "obj.response-time": {
        "en": "{priority} incidents answered within {within} ({clock})",
        "zh": "{priority} 事件在 {within} 内响应（{clock}）",
    },
    "obj.resolution-time": {
        "en": "{priority} incidents resolved within {within} ({clock})",
        "zh": "{priority} 事件在 {within} 内解决（{clock}）",
    },
    "obj.complaint-response": {
        "en": "Complaints acknowledged within {within} ({clock})",
        "zh": "投诉在 {within} 内确认受理（{clock}）",
    },
    "obj.complaint-resolution": {
        "en": "Complaints resolved within {within} ({clock})",
        "zh": "投诉在 {within} 内解决（{clock}）",
    },
    "obj.recovery-time": {
        "en": "{priority} incidents: service restored within {within} (RTO)",
        "zh": "{priority} 事件：在 {within} 内恢复服务（RTO）",
    },
    "obj.recovery-point": {
        "en": "{priority} incidents: at most {within} of data lost (RPO)",
        "zh": "{priority} 事件：数据丢失不超过 {within}（RPO）",
    },
    "obj.escalation": {
        "en": "{priority} incidents escalated to each level within its time ({clock})",
        "zh": "{priority} 事件在规定时间内升级到各级别（{clock}）",
    },
    "obj.escalation.all": {
        "en": "Incidents escalated to each level within its time ({clock})",
        "zh": "事件在规定时间内升级到各级别（{clock}）",
    },
    "obj.satisfaction.mean": {
        "en": "Mean satisfaction score ({min}–{max}), at least {n} responses",
        "zh": "平均满意度评分（{min}–{max}），至少 {n} 份答卷",
    },
    "obj.satisfaction.share": {
        "en": "Share of responses scoring at least {at_least}, at least {n} responses",
        "zh": "评分不低于 {at_least} 的答卷占比，至少 {n} 份答卷",
    },
    "clock.24x7": {"en": "24x7", "zh": "7x24"},
    "clock.calendar": {"en": "business hours: {id}", "zh": "工作时间：{id}"},
    "window.month": {"en": "calendar month", "zh": "自然月"},
    "window.quarter": {"en": "calendar quarter", "zh": "自然季度"},
    "window.year": {"en": "calendar year", "zh": "自然年"},
    "window.rolling": {"en": "rolling {days} days", "zh": "滚动 {days} 天"},
    "weekdays": {"en": "Mon,Tue,Wed,Thu,Fri,Sat,Sun", "zh": "周一,周二,周三,周四,周五,周六,周日"},
    # feed
    "feed.title": {
        "en": "{site}: breaches, credits, restatements, maintenance and changes",
        "zh": "{site}：违约、赔偿、重述、维护与变更",
    },
    "feed.breach": {
        "en": "{service}: {objective} breached in {period} ({value}, target {target})",
        "zh": "{service}：{objective} 在 {period} 未达标（{value}，目标 {target}）",
    },
    "feed.credit": {
        "en": "{service}: credit of {credit} owed for {objective} in {period}",
        "zh": "{service}：{objective} 在 {period} 应付赔偿 {credit}",
    },
    "feed.restatement": {
        "en": "{service}: {objective} for {period} restated",
        "zh": "{service}：{objective} {period} 数据已重述",
    },
    "feed.maintenance": {
        "en": "{service}: maintenance {start} to {end}",
        "zh": "{service}：维护 {start} 至 {end}",
    },
    "feed.change": {
        "en": "{service}: agreement changed (version {version}, effective {date})",
        "zh": "{service}：协议变更（版本 {version}，{date} 生效）",
    },
    # the monthly customer report (slacode report)
    "report.title": {"en": "Service report {period}", "zh": "{period} 服务报告"},
    "report.prepared": {"en": "Prepared by {provider} for {customer}",
                        "zh": "{provider} 为 {customer} 编制"},
    "report.span": {"en": "Period: {first} to {last}", "zh": "报告周期：{first} 至 {last}"},
    "report.generated": {
        "en": "Made {when} from the frozen figures of the ledger: closed periods only, which "
              "no later evaluation changes without a stated restatement.",
        "zh": "于 {when} 根据账本中冻结的数据生成：仅包含已结束的周期，"
              "之后的评估不会在未说明重述的情况下改变这些数据。",
    },
    "report.fingerprint": {
        "en": "Fingerprint (SHA-256 over the {n} frozen ledger records shown)",
        "zh": "指纹（对所示 {n} 条冻结账本记录计算的 SHA-256）",
    },
    "report.verify": {
        "en": "Either side can check this report against the ledger with "
              "slacode report --verify FILE.",
        "zh": "双方均可使用 slacode report --verify 文件 对照账本核验本报告。",
    },
    "report.agreement": {"en": "Agreement", "zh": "协议"},
    "report.in_force": {"en": "Version in force", "zh": "适用版本"},
    "report.objectives": {"en": "Objectives", "zh": "服务指标"},
    "report.coverage": {"en": "Data coverage", "zh": "数据覆盖率"},
    "report.nothing_judged": {"en": "No period of this agreement ends in this month.",
                              "zh": "本协议没有在本月结束的周期。"},
    "report.credits": {"en": "Credits and bonuses", "zh": "赔偿与奖励"},
    "report.no_credits": {"en": "No credit is owed for this period.",
                          "zh": "本周期无应付赔偿。"},
    "report.amount": {"en": "Amount", "zh": "金额"},
    "report.claim_by": {"en": "Claim by", "zh": "申请截止"},
    "report.bonus": {"en": "Bonus", "zh": "奖励"},
    "report.how_to_claim": {
        "en": "How to claim: write to {contact} by the claim date, naming contract {ref} "
              "and period {period}.",
        "zh": "申请方式：请在申请截止日期前联系 {contact}，注明合同 {ref} 和周期 {period}。",
    },
    "report.incidents": {"en": "Incidents", "zh": "事件"},
    "report.no_incidents": {"en": "No incidents were opened in this period.",
                            "zh": "本周期未发生事件。"},
    "report.took": {"en": "after {took}; target {target}", "zh": "用时 {took}；目标 {target}"},
    "report.inc_met": {"en": "met", "zh": "达标"},
    "report.inc_missed": {"en": "missed", "zh": "未达标"},
    "report.maintenance": {"en": "Maintenance", "zh": "维护"},
    "report.no_maintenance": {"en": "No maintenance in this period.",
                              "zh": "本周期无维护。"},
    "report.changes": {"en": "Changes to the agreement", "zh": "协议变更"},
    "report.no_changes": {"en": "The agreement did not change in this period.",
                          "zh": "本周期协议未发生变更。"},
    "report.changed_on": {"en": "Changed on", "zh": "变更日期"},
    "report.records": {"en": "Ledger records", "zh": "账本记录"},
    "report.colon": {"en": ": ", "zh": "："},  # after a label, before what it labels
    "report.page": {"en": "page {page} of {pages}", "zh": "第 {page} 页，共 {pages} 页"},
    # badges
    "badge.status": {"en": "SLA", "zh": "SLA"},
    # --- pages: overview, tables, charts, incidents ---
    "pages.overview_title": {"en": "Service level report", "zh": "服务级别报告"},
    "pages.overview_intro": {
        "en": "How each service is doing against its agreement in its current period, as "
        "measured up to the time below: a report, not a live status page. Select a service "
        "for its full agreement, history and credits.",
        "zh": "各项服务在其当前周期内相对协议的表现，数据截至下方时间：这是一份报告，而非实时"
        "状态页。选择一项服务查看完整协议、历史和赔偿。",
    },
    "pages.counted": {"en": "Objectives in their current period:",
                      "zh": "各目标在当前周期的结果："},
    "pages.counted_reports": {"en": "Counted per objective.", "zh": "按目标计数。"},
    "pages.period": {"en": "Period", "zh": "周期"},
    "pages.figure_target": {"en": "Figure / target", "zh": "实际值 / 目标"},
    "pages.verdict": {"en": "Verdict", "zh": "结论"},
    "pages.credit": {"en": "Credit", "zh": "赔偿"},
    "period.month_names": {
        "en": "January,February,March,April,May,June,July,August,September,October,"
        "November,December",
        "zh": "1月,2月,3月,4月,5月,6月,7月,8月,9月,10月,11月,12月",
    },
    "period.month_short": {"en": "Jan,Feb,Mar,Apr,May,Jun,Jul,Aug,Sep,Oct,Nov,Dec",
                           "zh": "1月,2月,3月,4月,5月,6月,7月,8月,9月,10月,11月,12月"},
    "period.month": {"en": "{month} {year} (month)", "zh": "{year}年{month}（月度）"},
    "period.month_bare": {"en": "{month} {year}", "zh": "{year}年{month}"},
    "period.quarter": {"en": "Q{q} {year} (quarter)", "zh": "{year}年第{q}季度（季度）"},
    "period.quarter_bare": {"en": "Q{q} {year}", "zh": "{year}年第{q}季度"},
    "period.year": {"en": "{year} (year)", "zh": "{year}年（年度）"},
    "period.year_bare": {"en": "{year}", "zh": "{year}年"},
    "period.rolling": {"en": "last {days} days (rolling)", "zh": "最近{days}天（滚动）"},
    "period.rolling_bare": {"en": "last {days} days", "zh": "最近{days}天"},
    "overview.credit_owed": {"en": "{credit} owed for {period}", "zh": "{period}应付 {credit}"},
    "overview.credit_projected": {
        "en": "projected {credit} if {period} ends as it goes",
        "zh": "若{period}按当前趋势结束，预计 {credit}",
    },
    "overview.credit_claim_by": {"en": ", claim by {date}", "zh": "，请于 {date} 前申请"},
    "pages.chart_periods": {"en": "Axis from {low} to {high}.",
                            "zh": "纵轴 {low} 至 {high}。"},
    "pages.strip_overall": {"en": "{figure} over these {days} days",
                            "zh": "这 {days} 天合计 {figure}"},
    "pages.strip_same": {"en": "The same daily figures as: {objectives}",
                         "zh": "每日数值与以下目标相同：{objectives}"},
    "pages.strip_incident": {"en": "incident", "zh": "事件"},
    "pages.strip_legend": {
        "en": "Each bar is a day: green met the target, red did not, grey outline: no data; "
              "a dot above a bar marks an incident that day.",
        "zh": "每根柱代表一天：绿色达标，红色未达标，灰色边框：无数据；"
              "柱上方的圆点表示当天有事件。",
    },
    "pages.calendar_hours": {"en": "{days} {start}–{end} {tz}{holidays}",
                             "zh": "{days} {start}–{end} {tz}{holidays}"},
    "pages.calendar": {"en": "Business hours: {hours}", "zh": "工作时间：{hours}"},
    "pages.clock_calendar": {"en": "business hours ({hours})", "zh": "工作时间（{hours}）"},
    "pages.inc_month": {"en": "{month}: {n} incidents", "zh": "{month}：{n} 个事件"},
    "pages.inc_month_one": {"en": "{month}: 1 incident", "zh": "{month}：1 个事件"},
    "pages.inc_duration": {"en": "Resolved after", "zh": "解决用时"},
    "pages.inc_response_after": {"en": "First response after", "zh": "首次响应用时"},
    "pages.inc_zone": {"en": "Times in {zone}; durations in elapsed time.",
                       "zh": "时间为 {zone}；用时按实际经过时间计。"},
    "pages.inc_open": {"en": "still open", "zh": "仍未解决"},
    "pages.misses_more": {"en": "{n} more misses", "zh": "另外 {n} 项未达标"},
    "pages.misses_more_one": {"en": "1 more miss", "zh": "另外 1 项未达标"},
    "pages.misses_older": {"en": "Older periods with misses ({n})",
                           "zh": "更早的有未达标项的周期（{n}）"},
    # --- content: contacts, change history, version pages, feeds ---
    "contacts.private": {"en": "not published", "zh": "不公开"},
    "feed.service_title": {
        "en": "{service} ({site}): breaches, credits, restatements, maintenance and changes",
        "zh": "{service}（{site}）：违约、赔偿、重述、维护与变更",
    },
    "svc.feed_service": {"en": "Atom feed of this service", "zh": "本服务的 Atom 订阅"},
    "svc.feed_all": {"en": "Atom feed of all services", "zh": "全部服务的 Atom 订阅"},
    "hist.after_now": {"en": "after {when}", "zh": "{when} 之后"},
    "hist.after_now_note": {
        "en": "Changes dated “after” were merged after the time this page describes "
              "({when}). They are listed so that the versions it announces can be traced.",
        "zh": "标为“之后”的变更在本页所述时间（{when}）之后合并；列出它们，"
              "是为了让本页预告的版本有据可查。",
    },
    "hist.takes_effect": {"en": "Version {version} takes effect {date}",
                          "zh": "版本 {version} 将于 {date} 生效"},
    "hist.took_effect": {"en": "Version {version} took effect {date}",
                         "zh": "版本 {version} 已于 {date} 生效"},
    "hist.first": {
        "en": "Version {version} (effective {date}) is the first version in this "
              "repository's history; earlier versions were agreed before it",
        "zh": "版本 {version}（{date} 生效）是本仓库历史中的第一个版本；更早的版本在此之前已经约定",
    },
    "hist.first_v1": {"en": "Version 1, the agreement's first, effective {date}",
                      "zh": "版本 1，协议的第一个版本，{date} 生效"},
    "hist.edited": {"en": "Version {version} edited", "zh": "版本 {version} 已修订"},
    "hist.no_promise": {"en": "No promise changed.", "zh": "承诺未变。"},
    "hist.published": {"en": "Version {version} published (effective {date})",
                       "zh": "版本 {version} 公开（{date} 生效）"},
    "hist.unreadable": {"en": "The agreement's file could not be read at this change",
                        "zh": "此次变更时协议文件无法读取"},
    "hist.reason": {"en": "Why: {reason}", "zh": "原因：{reason}"},
    "hist.pr": {"en": "pull request #{number}", "zh": "拉取请求 #{number}"},
    "hist.full_text": {"en": "full text of version {version}", "zh": "版本 {version} 全文"},
    "hist.objective_added": {"en": "new objective: {name}, target {target}",
                             "zh": "新增指标“{name}”：目标 {target}"},
    "version.title": {"en": "{service}, version {version}", "zh": "{service}（版本 {version}）"},
    "version.current": {
        "en": "The version in force: effective {start}.",
        "zh": "现行版本：{start} 起生效。",
    },
    "version.past": {
        "en": "A past version: in force from {start} to {end}, replaced by version {next}.",
        "zh": "历史版本：{start} 至 {end} 有效，已由版本 {next} 取代。",
    },
    "version.never": {
        "en": "A past version: replaced by version {next} before it took effect ({start}).",
        "zh": "历史版本：在生效日（{start}）之前已由版本 {next} 取代。",
    },
    "version.coming": {
        "en": "A version merged for later: it takes effect {start}.",
        "zh": "已合并、尚未生效的版本：将于 {start} 生效。",
    },
    "version.read_only": {
        "en": "The agreement as this version stated it, for reference. Its figures, "
              "incidents and credits are on the service's page.",
        "zh": "本页为该版本协议原文，仅供查阅；达成情况、事件与赔偿见服务页面。",
    },
    "version.back": {"en": "Current page of {service}", "zh": "{service} 的当前页面"},
    "version.all": {"en": "All versions:", "zh": "全部版本："},
    # --- words: evaluation's reasons and misses (results carry a code and its params;
    # slacode.render.reasons fills these in; every code of evaluate.results.REASON_CODES
    # has an entry, a test checks) ---
    "reason.gap": {"en": "no data {start} to {end}: {why}", "zh": "{start} 至 {end} 无数据：{why}"},
    "reason.gaps-more": {"en": "and {n} more gaps without data", "zh": "另有 {n} 段无数据"},
    "reason.no-measurements": {"en": "no measurements for this objective",
                               "zh": "该指标没有度量数据"},
    "reason.counts-too-large": {"en": "the counts are too large to add up: no figure",
                                "zh": "计数过大，无法相加：没有数值"},
    "reason.no-incident-records": {"en": "no incident records for this objective",
                                   "zh": "该指标没有事件记录"},
    "reason.no-complaint-records": {"en": "no complaint records for this objective",
                                    "zh": "该指标没有投诉记录"},
    "reason.no-survey-records": {"en": "no survey records for this objective",
                                 "zh": "该指标没有调查记录"},
    "reason.no-incidents-counted": {"en": "no {priority}incidents in this period",
                                    "zh": "本周期没有{priority}事件"},
    "reason.no-complaints-counted": {"en": "no complaints in this period",
                                     "zh": "本周期没有投诉"},
    "reason.incidents-pending": {
        "en": "{n} incident(s) still within their target time, not counted yet",
        "zh": "{n} 个事件仍在目标时间内，尚未计入"},
    "reason.complaints-pending": {
        "en": "{n} complaint(s) still within their target time, not counted yet",
        "zh": "{n} 件投诉仍在目标时间内，尚未计入"},
    "reason.few-responses": {"en": "{n} responses, fewer than the {needed} needed",
                             "zh": "{n} 份回复，少于所需的 {needed} 份"},
    "reason.no-survey-answers": {"en": "no survey answers in this period",
                                 "zh": "本周期没有调查回复"},
    "reason.low-coverage": {"en": "data for {coverage} of the period, below the {needed} needed",
                            "zh": "数据仅覆盖本周期的 {coverage}，低于所需的 {needed}"},
    "reason.unseen-outage": {
        "en": "no data from {start} to {end} while a {priority} incident was open: the "
              "figure cannot show that outage",
        "zh": "{start} 至 {end} 无数据，期间有 {priority} 事件未解决：该数值无法反映这次故障"},
    "reason.unseen-outage.any": {
        "en": "no data from {start} to {end} while an incident was open: the figure cannot "
              "show that outage",
        "zh": "{start} 至 {end} 无数据，期间有事件未解决：该数值无法反映这次故障"},
    "reason.loss-not-recorded": {"en": "{label}: no data loss recorded",
                                 "zh": "{label}：未记录数据丢失量"},
    "reason.bad-day": {"en": "{date}: {value} (target {target})",
                       "zh": "{date}：{value}（目标 {target}）"},
    "reason.late": {"en": "{label} {step} after {took} (target {goal})",
                    "zh": "{label} {step}用时 {took}（目标 {goal}）"},
    "reason.not-done": {"en": "{label} no {step} by its deadline {due} (target {goal})",
                        "zh": "{label} 未在截止时间 {due} 前完成{step}（目标 {goal}）"},
    "reason.data-lost": {"en": "{label} lost {lost} of data (target at most {goal})",
                         "zh": "{label} 丢失 {lost} 的数据（目标不超过 {goal}）"},
    "reason.escalated-late": {"en": "{label} escalated to {level} after {took} (target {goal})",
                              "zh": "{label} 升级到{level}用时 {took}（目标 {goal}）"},
    "reason.not-escalated": {"en": "{label} not escalated to {level} by {due} (target {goal})",
                             "zh": "{label} 未在 {due} 前升级到{level}（目标 {goal}）"},
    # --- words: error budgets in counts a customer reads correctly ---
    "budget.noun.events": {"en": "Failed requests", "zh": "失败请求"},
    "budget.noun.requests": {"en": "Slow requests", "zh": "慢请求"},
    "budget.noun.slices": {"en": "Bad time slices", "zh": "不达标时间片"},
    "budget.noun.responses": {"en": "Poor survey answers", "zh": "不满意的调查回复"},
    "budget.noun.incidents": {"en": "Missed {priority}incidents", "zh": "未达标的{priority}事件"},
    "budget.noun.complaints": {"en": "Missed complaints", "zh": "未达标的投诉"},
    "svc.budget_allowed": {"en": "{noun} allowed {period}: {allowed} · used {used}",
                           "zh": "{period}允许的{noun}：{allowed} · 已用 {used}"},
    "svc.budget_allowed_in": {"en": "{noun} allowed in {period}: {allowed} · used {used}",
                              "zh": "{period} 允许的{noun}：{allowed} · 已用 {used}"},
    "svc.budget_over_by": {"en": " ({over} over)", "zh": "（超出 {over}）"},
    "svc.budget_more_one": {"en": "1 more {noun} breaches the {period}",
                            "zh": "再有 1 个{noun}，本{period}即未达标"},
    "svc.budget_more": {"en": "{n} more {noun} breach the {period}",
                        "zh": "再有 {n} 个{noun}，本{period}即未达标"},
    "period.this.month": {"en": "this month", "zh": "本月"},
    "period.this.quarter": {"en": "this quarter", "zh": "本季度"},
    "period.this.year": {"en": "this year", "zh": "本年度"},
    "period.this.rolling": {"en": "in this window", "zh": "本窗口内"},
    "period.word.month": {"en": "month", "zh": "月"},
    "period.word.quarter": {"en": "quarter", "zh": "季度"},
    "period.word.year": {"en": "year", "zh": "年度"},
    "period.word.rolling": {"en": "window", "zh": "窗口"},
    # --- words: one time zone per page ---
    "svc.zone": {"en": "times in {zone}", "zh": "时间均为 {zone}"},
    # the parts reasons are made of
    "reason.label.incident": {"en": "{priority} incident {id}", "zh": "{priority} 事件 {id}"},
    "reason.label.complaint": {"en": "complaint {id}", "zh": "投诉 {id}"},
    "reason.not_public": {"en": "(not public)", "zh": "（未公开）"},
    "reason.step.response": {"en": "first response", "zh": "首次响应"},
    "reason.step.resolution": {"en": "resolution", "zh": "解决"},
    "reason.step.acknowledgement": {"en": "acknowledgement", "zh": "确认受理"},
    "reason.step.restoration": {"en": "service restoration", "zh": "恢复服务"},
    # the page names each business calendar by its hours once; a miss says "working time"
    "reason.working": {"en": "{time} of working time", "zh": "{time}（工作时间）"},
    "reason.goal_working": {"en": "{goal}: {hours} of working time",
                            "zh": "{goal}，即 {hours} 工作时间"},
    "reason.level": {"en": "level {n}", "zh": "第 {n} 级"},
    "reason.level_named": {"en": "level {n} ({name})", "zh": "第 {n} 级（{name}）"},
    # --- claims: improvement actions, credit claims and payouts, how to claim ---
    "actions.title": {"en": "Improvement actions", "zh": "改进措施"},
    "actions.intro": {
        "en": "What we do about missed objectives: each action answers a period of an "
              "objective, with its due date and status.",
        "zh": "针对未达标指标采取的措施：每项措施对应某个指标的一个周期，并注明截止日期和状态。",
    },
    "actions.action": {"en": "Action", "zh": "措施"},
    "actions.due": {"en": "Due", "zh": "截止日期"},
    "actions.status": {"en": "Status", "zh": "状态"},
    "actions.owner": {"en": "Owner", "zh": "负责人"},
    "actions.status_open": {"en": "Open", "zh": "进行中"},
    "actions.status_done": {"en": "Done", "zh": "已完成"},
    "actions.status_dropped": {"en": "Dropped", "zh": "已放弃"},
    "actions.overdue": {"en": "overdue", "zh": "已逾期"},
    "claims.title": {"en": "How to claim", "zh": "如何申请赔偿"},
    "claims.no_credits": {"en": "This agreement grants no service credits.",
                          "zh": "本协议不提供服务赔偿。"},
    "claims.channel": {"en": "Claim a credit through: {channel}.",
                       "zh": "赔偿申请渠道：{channel}。"},
    "claims.include": {"en": "Include: {items}.", "zh": "申请时请注明：{items}。"},
    "claims.no_channel": {
        "en": "The agreement names no claim channel: ask your contact at the provider.",
        "zh": "协议未指定申请渠道，请联系服务提供方的对接人。",
    },
    "claims.window": {"en": "A credit may be claimed up to {within} after its period ends.",
                      "zh": "可在周期结束后 {within} 内申请赔偿。"},
    "claims.pay": {"en": "An owed credit is paid within {within} of the claim.",
                   "zh": "应付赔偿在申请后 {within} 内支付。"},
    "claims.none_owed": {"en": "No credit is owed for any period shown.",
                         "zh": "所列周期均无应付赔偿。"},
    "claims.owed": {"en": "Owed", "zh": "应付"},
    "claims.state": {"en": "Claim window", "zh": "申请期"},
    "claims.claimed": {"en": "Claimed", "zh": "已申请"},
    "claims.paid": {"en": "Paid", "zh": "已支付"},
    "claims.nothing_owed": {"en": "nothing", "zh": "无"},
    "claims.state_open": {"en": "open until {date}", "zh": "开放至 {date}"},
    "claims.state_closed": {"en": "closed on {date}", "zh": "已于 {date} 截止"},
    "claims.state_claimed": {"en": "claimed", "zh": "已申请"},
    "claims.state_paid": {"en": "paid", "zh": "已支付"},
    "claims.state_none": {"en": "no deadline", "zh": "无截止日期"},
    "claims.state_not_owed": {"en": "no credit owed", "zh": "无应付赔偿"},
    "claims.report_title": {"en": "Credit claims", "zh": "赔偿申请"},
    "claims.claim_line": {"en": "{id} on {date}: {status}", "zh": "{id}，{date}：{status}"},
    "claims.status_open": {"en": "open", "zh": "处理中"},
    "claims.status_approved": {"en": "approved", "zh": "已批准"},
    "claims.status_rejected": {"en": "rejected", "zh": "已拒绝"},
    "claims.status_paid": {"en": "paid", "zh": "已支付"},
    "claims.flag_unknown": {"en": "unknown agreement", "zh": "协议不存在"},
    "claims.flag_unwarranted": {"en": "no credit owed", "zh": "无应付赔偿"},
    "claims.flag_late": {"en": "after the window closed", "zh": "超过申请期"},
    "claims.flag_amount": {"en": "paid amount differs", "zh": "支付金额不符"},
    "claims.flag_unpaid": {"en": "not paid in time", "zh": "未按时支付"},
    "claims.flag_disputed": {"en": "rejected, yet owed", "zh": "已拒绝但应付"},
    "claims.flag_customer": {"en": "another customer", "zh": "非本客户"},
    # --- s9 content: the site-wide change history page ---
    "changes.title": {"en": "Changes to our agreements", "zh": "协议变更记录"},
    "changes.intro": {
        "en": "Every change to the agreements on this site, the latest first: which version it "
              "made, when that version takes effect, why, and what it promises differently. "
              "Each service page has its own change history, and every version its full text.",
        "zh": "本站所有协议的每一次变更，最新的在前：变更产生了哪个版本、该版本何时生效、"
              "变更原因，以及承诺有何不同。每项服务的页面都有各自的变更历史，每个版本都有完整文本。"},
    "changes.none": {"en": "No recorded changes.", "zh": "暂无变更记录。"},
    "changes.feed": {"en": "Follow the changes in the {feed} (feed.xml).",
                     "zh": "通过 {feed}（feed.xml）关注变更。"},
    "changes.feed_name": {"en": "Atom feed", "zh": "Atom 订阅"},
    "changes.merged": {"en": "Merged", "zh": "合并日期"},
    "changes.service": {"en": "Service", "zh": "服务"},
    "changes.change": {"en": "Change", "zh": "变更"},
    "changes.zone": {"en": "Dates in UTC.", "zh": "日期为 UTC 时间。"},
}


def t(key: str, language: str = "en", **values: object) -> str:
    """The words for ``key`` in ``language``, with ``{name}`` placeholders filled in.

    Values are inserted as given: callers escape untrusted values first.
    """
    entry = STRINGS[key]
    words = entry.get(language) or entry["en"]
    return words.format(**values) if values else words

//! The words a render adds to a map (lane titles, legends, badges), in English,
//! Russian, Chinese and Polish. Map content itself is shown as written.

use cjm_model::{Evidence, LaneKind, Level, MapType, ObservedSource};

/// A language of the labels a render adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Ru,
    Zh,
    Pl,
}

impl Lang {
    /// All languages, in the order they are documented.
    pub const ALL: [Lang; 4] = [Lang::En, Lang::Ru, Lang::Zh, Lang::Pl];

    /// The language with this code (`en`, `ru`, `zh`, `pl`), ignoring case and region (`pl-PL`).
    pub fn from_code(code: &str) -> Option<Lang> {
        let base = code.split(['-', '_']).next().unwrap_or_default();
        match base.to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "ru" => Some(Lang::Ru),
            "zh" => Some(Lang::Zh),
            "pl" => Some(Lang::Pl),
            _ => None,
        }
    }

    /// The two-letter code, as in HTML `lang`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
            Lang::Zh => "zh",
            Lang::Pl => "pl",
        }
    }
}

/// The labels of one language.
#[derive(Debug)]
pub struct Labels {
    /// Lane titles, in the order of [`LaneKind`]'s variants.
    lane_titles: [&'static str; 13],
    /// Map type names: basic, emotion, channel, persona, service blueprint.
    map_types: [&'static str; 5],
    /// Low, medium, high.
    levels: [&'static str; 3],
    /// Interview, survey, analytics, support tickets, review, other.
    sources: [&'static str; 6],
    pub persona: &'static str,
    pub age: &'static str,
    pub segment: &'static str,
    pub goals: &'static str,
    pub frustrations: &'static str,
    pub needs: &'static str,
    pub channels: &'static str,
    pub sources_of_information: &'static str,
    pub objections: &'static str,
    pub measured: &'static str,
    pub observed: &'static str,
    pub assumed: &'static str,
    pub no_evidence: &'static str,
    pub evidence: &'static str,
    pub query: &'static str,
    pub cases: &'static str,
    pub critical_moment: &'static str,
    pub severity: &'static str,
    pub impact: &'static str,
    pub effort: &'static str,
    pub target: &'static str,
    pub met: &'static str,
    pub not_met: &'static str,
    pub no_target: &'static str,
    pub lower_is_better: &'static str,
    pub trend: &'static str,
    pub owner: &'static str,
    pub answers: &'static str,
    pub answered_by: &'static str,
    pub place: &'static str,
    pub time: &'static str,
    pub stage: &'static str,
    pub step: &'static str,
    pub whole_stage: &'static str,
    pub channels_by_stage: &'static str,
    pub map_type: &'static str,
    pub legend: &'static str,
    pub page: &'static str,
    pub neutral: &'static str,
    pub score: &'static str,
    pub importance: &'static str,
    pub pain_point: &'static str,
    pub opportunity: &'static str,
    pub value: &'static str,
    pub status: &'static str,
    pub source: &'static str,
    pub lane: &'static str,
    /// Opening and closing quotation marks for thoughts and quotes.
    pub quotes: (&'static str, &'static str),
}

impl Labels {
    /// The default title of a lane of this kind.
    pub fn lane_title(&self, kind: LaneKind) -> &'static str {
        let index = match kind {
            LaneKind::Actions => 0,
            LaneKind::Goals => 1,
            LaneKind::Thoughts => 2,
            LaneKind::Emotions => 3,
            LaneKind::Touchpoints => 4,
            LaneKind::PainPoints => 5,
            LaneKind::Opportunities => 6,
            LaneKind::Metrics => 7,
            LaneKind::FrontStage => 8,
            LaneKind::BackStage => 9,
            LaneKind::SupportProcesses => 10,
            LaneKind::LineOfVisibility => 11,
            LaneKind::Text => 12,
        };
        self.lane_titles[index]
    }

    /// The name of a map type.
    pub fn map_type_name(&self, map_type: MapType) -> &'static str {
        let index = match map_type {
            MapType::Basic => 0,
            MapType::Emotion => 1,
            MapType::Channel => 2,
            MapType::Persona => 3,
            MapType::ServiceBlueprint => 4,
        };
        self.map_types[index]
    }

    /// The name of a level (low, medium, high).
    pub fn level(&self, level: Level) -> &'static str {
        let index = match level {
            Level::Low => 0,
            Level::Medium => 1,
            Level::High => 2,
        };
        self.levels[index]
    }

    /// The name of a kind of research.
    pub fn observed_source(&self, source: ObservedSource) -> &'static str {
        let index = match source {
            ObservedSource::Interview => 0,
            ObservedSource::Survey => 1,
            ObservedSource::Analytics => 2,
            ObservedSource::SupportTickets => 3,
            ObservedSource::Review => 4,
            ObservedSource::Other => 5,
        };
        self.sources[index]
    }

    /// The one-word evidence kind of a cell.
    pub fn evidence_kind(&self, evidence: Option<&Evidence>) -> &'static str {
        match evidence {
            Some(Evidence::Measured { .. }) => self.measured,
            Some(Evidence::Observed { .. }) => self.observed,
            Some(Evidence::Assumed { .. }) => self.assumed,
            None => self.no_evidence,
        }
    }

    /// A one-line description of what backs a cell, for tooltips and tables.
    pub fn describe_evidence(&self, evidence: Option<&Evidence>) -> String {
        let kind = self.evidence_kind(evidence);
        let parts: Vec<String> = match evidence {
            None => Vec::new(),
            Some(Evidence::Assumed { note }) => vec![note.clone()],
            Some(Evidence::Observed { source, name, note }) => vec![
                self.observed_source(*source).to_owned(),
                name.clone(),
                note.clone(),
            ],
            Some(Evidence::Measured {
                query,
                cases,
                range,
                store,
            }) => vec![
                format!("{}: {query}", self.query),
                cases
                    .map(|n| format!("{} {}", n, self.cases))
                    .unwrap_or_default(),
                range.clone(),
                store.clone(),
            ],
        };
        let details: Vec<String> = parts.into_iter().filter(|p| !p.is_empty()).collect();
        if details.is_empty() {
            kind.to_owned()
        } else {
            format!("{kind}: {}", details.join("; "))
        }
    }
}

/// The labels of a language.
pub fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::En => &EN,
        Lang::Ru => &RU,
        Lang::Zh => &ZH,
        Lang::Pl => &PL,
    }
}

static EN: Labels = Labels {
    lane_titles: [
        "Actions",
        "Goals",
        "Thoughts",
        "Emotions",
        "Touchpoints",
        "Pain points",
        "Opportunities",
        "Metrics",
        "Front stage",
        "Back stage",
        "Support processes",
        "Line of visibility",
        "Notes",
    ],
    map_types: [
        "Basic",
        "Emotion",
        "Channel",
        "Persona",
        "Service blueprint",
    ],
    levels: ["low", "medium", "high"],
    sources: [
        "interview",
        "survey",
        "analytics",
        "support tickets",
        "review",
        "other source",
    ],
    persona: "Persona",
    age: "years old",
    segment: "Segment",
    goals: "Goals",
    frustrations: "Frustrations",
    needs: "Needs",
    channels: "Channels",
    sources_of_information: "Sources",
    objections: "Objections",
    measured: "measured",
    observed: "observed",
    assumed: "assumed",
    no_evidence: "no evidence",
    evidence: "Evidence",
    query: "query",
    cases: "cases",
    critical_moment: "critical moment",
    severity: "severity",
    impact: "impact",
    effort: "effort",
    target: "target",
    met: "target met",
    not_met: "below target",
    no_target: "no target",
    lower_is_better: "lower is better",
    trend: "trend",
    owner: "owner",
    answers: "answers",
    answered_by: "answered by",
    place: "Place",
    time: "Time",
    stage: "Stage",
    step: "Step",
    whole_stage: "whole stage",
    channels_by_stage: "Channels × stages (touchpoints)",
    map_type: "Map type",
    legend: "Legend",
    page: "Page",
    neutral: "neutral",
    score: "score",
    importance: "importance",
    pain_point: "Pain point",
    opportunity: "Opportunity",
    value: "Value",
    status: "Status",
    source: "Source",
    lane: "Lane",
    quotes: ("\u{201c}", "\u{201d}"),
};

static RU: Labels = Labels {
    lane_titles: [
        "Действия",
        "Цели",
        "Мысли",
        "Эмоции",
        "Точки контакта",
        "Проблемы",
        "Возможности",
        "Метрики",
        "Фронт-офис",
        "Бэк-офис",
        "Поддерживающие процессы",
        "Линия видимости",
        "Заметки",
    ],
    map_types: [
        "Базовая",
        "Эмоциональная",
        "Канальная",
        "Персона",
        "Сервисный блюпринт",
    ],
    levels: ["низкая", "средняя", "высокая"],
    sources: [
        "интервью",
        "опрос",
        "аналитика",
        "обращения в поддержку",
        "отзыв",
        "другой источник",
    ],
    persona: "Персона",
    age: "лет",
    segment: "Сегмент",
    goals: "Цели",
    frustrations: "Раздражители",
    needs: "Потребности",
    channels: "Каналы",
    sources_of_information: "Источники",
    objections: "Возражения",
    measured: "измерено",
    observed: "наблюдение",
    assumed: "гипотеза",
    no_evidence: "нет подтверждения",
    evidence: "Основание",
    query: "запрос",
    cases: "случаев",
    critical_moment: "критический момент",
    severity: "серьёзность",
    impact: "эффект",
    effort: "затраты",
    target: "цель",
    met: "цель достигнута",
    not_met: "ниже цели",
    no_target: "нет цели",
    lower_is_better: "чем меньше, тем лучше",
    trend: "динамика",
    owner: "владелец",
    answers: "решает",
    answered_by: "решение",
    place: "Место",
    time: "Время",
    stage: "Этап",
    step: "Шаг",
    whole_stage: "весь этап",
    channels_by_stage: "Каналы × этапы (точки контакта)",
    map_type: "Тип карты",
    legend: "Обозначения",
    page: "Страница",
    neutral: "нейтрально",
    score: "оценка",
    importance: "важность",
    pain_point: "Проблема",
    opportunity: "Возможность",
    value: "Значение",
    status: "Статус",
    source: "Источник",
    lane: "Дорожка",
    quotes: ("\u{ab}", "\u{bb}"),
};

static ZH: Labels = Labels {
    lane_titles: [
        "行为",
        "目标",
        "想法",
        "情绪",
        "触点",
        "痛点",
        "机会点",
        "指标",
        "前台",
        "后台",
        "支持流程",
        "可见线",
        "备注",
    ],
    map_types: ["基础", "情绪", "渠道", "用户画像", "服务蓝图"],
    levels: ["低", "中", "高"],
    sources: ["访谈", "问卷", "数据分析", "客服工单", "评价", "其他来源"],
    persona: "用户画像",
    age: "岁",
    segment: "细分",
    goals: "目标",
    frustrations: "挫折",
    needs: "需求",
    channels: "渠道",
    sources_of_information: "信息来源",
    objections: "顾虑",
    measured: "已测量",
    observed: "已观察",
    assumed: "假设",
    no_evidence: "无依据",
    evidence: "依据",
    query: "查询",
    cases: "个案例",
    critical_moment: "关键时刻",
    severity: "严重程度",
    impact: "影响",
    effort: "投入",
    target: "目标值",
    met: "已达标",
    not_met: "未达标",
    no_target: "无目标值",
    lower_is_better: "越低越好",
    trend: "趋势",
    owner: "负责人",
    answers: "解决",
    answered_by: "对策",
    place: "地点",
    time: "时间",
    stage: "阶段",
    step: "步骤",
    whole_stage: "整个阶段",
    channels_by_stage: "渠道 × 阶段（触点数）",
    map_type: "地图类型",
    legend: "图例",
    page: "页",
    neutral: "中性",
    score: "分数",
    importance: "重要性",
    pain_point: "痛点",
    opportunity: "机会点",
    value: "数值",
    status: "状态",
    source: "来源",
    lane: "泳道",
    quotes: ("\u{201c}", "\u{201d}"),
};

static PL: Labels = Labels {
    lane_titles: [
        "Działania",
        "Cele",
        "Myśli",
        "Emocje",
        "Punkty styku",
        "Problemy",
        "Szanse",
        "Wskaźniki",
        "Front office",
        "Zaplecze",
        "Procesy wspierające",
        "Linia widoczności",
        "Notatki",
    ],
    map_types: [
        "Podstawowa",
        "Emocje",
        "Kanały",
        "Persona",
        "Service blueprint",
    ],
    levels: ["niska", "średnia", "wysoka"],
    sources: [
        "wywiad",
        "ankieta",
        "analityka",
        "zgłoszenia do wsparcia",
        "opinia",
        "inne źródło",
    ],
    persona: "Persona",
    age: "lat",
    segment: "Segment",
    goals: "Cele",
    frustrations: "Frustracje",
    needs: "Potrzeby",
    channels: "Kanały",
    sources_of_information: "Źródła",
    objections: "Zastrzeżenia",
    measured: "zmierzone",
    observed: "zaobserwowane",
    assumed: "założenie",
    no_evidence: "brak podstaw",
    evidence: "Podstawa",
    query: "zapytanie",
    cases: "przypadków",
    critical_moment: "moment krytyczny",
    severity: "waga",
    impact: "wpływ",
    effort: "nakład",
    target: "cel",
    met: "cel osiągnięty",
    not_met: "poniżej celu",
    no_target: "brak celu",
    lower_is_better: "im mniej, tym lepiej",
    trend: "trend",
    owner: "właściciel",
    answers: "odpowiada na",
    answered_by: "rozwiązanie",
    place: "Miejsce",
    time: "Czas",
    stage: "Etap",
    step: "Krok",
    whole_stage: "cały etap",
    channels_by_stage: "Kanały × etapy (punkty styku)",
    map_type: "Typ mapy",
    legend: "Legenda",
    page: "Strona",
    neutral: "neutralnie",
    score: "ocena",
    importance: "znaczenie",
    pain_point: "Problem",
    opportunity: "Szansa",
    value: "Wartość",
    status: "Status",
    source: "Źródło",
    lane: "Ścieżka",
    quotes: ("\u{201e}", "\u{201d}"),
};

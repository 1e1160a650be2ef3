//! The UI's own strings in English, Russian, Chinese and Polish, and how a request picks its language.

use axum::http::HeaderMap;

/// A language the UI ships in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Ru,
    Zh,
    Pl,
}

impl Lang {
    /// All UI languages, in the order the switcher lists them.
    pub const ALL: [Lang; 4] = [Lang::En, Lang::Ru, Lang::Zh, Lang::Pl];

    /// The BCP 47 code (`en`, `ru`, `zh`, `pl`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
            Lang::Zh => "zh",
            Lang::Pl => "pl",
        }
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ru => "Русский",
            Lang::Zh => "中文",
            Lang::Pl => "Polski",
        }
    }

    /// The language with this code (`ru`, `zh-CN`, `pl-PL`, ...), if the UI ships it.
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|lang| lang.code() == primary)
    }

    /// The language of a request: the `lang` cookie, else the best match of
    /// `Accept-Language`, else English.
    pub fn negotiate(headers: &HeaderMap) -> Lang {
        if let Some(lang) = cookie(headers, "cjm_lang").and_then(|code| Lang::from_code(&code)) {
            return lang;
        }
        let Some(accept) = headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
        else {
            return Lang::En;
        };
        let mut ranked: Vec<(f32, Lang)> = accept
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.split(';');
                let lang = Lang::from_code(pieces.next()?)?;
                let quality = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                Some((quality, lang))
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranked.first().map_or(Lang::En, |(_, lang)| *lang)
    }

    /// The UI string `key` in this language (the key itself when unknown, so a gap is visible).
    pub fn t(self, key: &'static str) -> &'static str {
        STRINGS
            .iter()
            .find(|row| row.0 == key)
            .map_or(key, |row| match self {
                Lang::En => row.1,
                Lang::Ru => row.2,
                Lang::Zh => row.3,
                Lang::Pl => row.4,
            })
    }

    /// All strings of this language as a JSON object, for the page scripts (built once).
    pub fn table_json(self) -> &'static str {
        static TABLES: std::sync::OnceLock<[String; 4]> = std::sync::OnceLock::new();
        let tables = TABLES.get_or_init(|| {
            Lang::ALL.map(|lang| {
                let table: serde_json::Map<String, serde_json::Value> = STRINGS
                    .iter()
                    .map(|row| (row.0.to_owned(), lang.t(row.0).into()))
                    .collect();
                serde_json::Value::Object(table).to_string()
            })
        });
        &tables[self as usize]
    }
}

/// The value of cookie `name` in the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// key, English, Russian, Chinese, Polish.
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

static STRINGS: &[Row] = &[
    (
        "app",
        "Journey maps",
        "Карты пути клиента",
        "客户旅程地图",
        "Mapy podróży klienta",
    ),
    (
        "home",
        "Workspace",
        "Рабочее пространство",
        "工作区",
        "Przestrzeń robocza",
    ),
    ("maps", "Maps", "Карты", "地图", "Mapy"),
    ("personas", "Personas", "Персоны", "用户画像", "Persony"),
    ("data", "Data", "Данные", "数据", "Dane"),
    ("search", "Search", "Поиск", "搜索", "Szukaj"),
    ("new_map", "New map", "Новая карта", "新建地图", "Nowa mapa"),
    ("template", "Template", "Шаблон", "模板", "Szablon"),
    ("language", "Language", "Язык", "语言", "Język"),
    ("title", "Title", "Название", "标题", "Tytuł"),
    ("create", "Create", "Создать", "创建", "Utwórz"),
    ("import", "Import", "Импорт", "导入", "Importuj"),
    (
        "import_hint",
        "YAML, JSON, CSV or Mermaid file",
        "Файл YAML, JSON, CSV или Mermaid",
        "YAML、JSON、CSV 或 Mermaid 文件",
        "Plik YAML, JSON, CSV lub Mermaid",
    ),
    ("delete", "Delete", "Удалить", "删除", "Usuń"),
    ("save", "Save", "Сохранить", "保存", "Zapisz"),
    ("saved", "Saved", "Сохранено", "已保存", "Zapisano"),
    (
        "saving",
        "Saving…",
        "Сохранение…",
        "正在保存…",
        "Zapisywanie…",
    ),
    ("conflict", "Conflict", "Конфликт", "冲突", "Konflikt"),
    (
        "conflict_msg",
        "Someone else saved this map. Reload to see their version; your last edit is not saved.",
        "Кто-то другой сохранил эту карту. Перезагрузите, чтобы увидеть его версию; ваша последняя правка не сохранена.",
        "其他人保存了此地图。请重新加载以查看其版本；您最后的修改尚未保存。",
        "Ktoś inny zapisał tę mapę. Wczytaj ponownie, aby zobaczyć jego wersję; Twoja ostatnia zmiana nie została zapisana.",
    ),
    (
        "reload",
        "Reload",
        "Перезагрузить",
        "重新加载",
        "Wczytaj ponownie",
    ),
    ("undo", "Undo", "Отменить", "撤销", "Cofnij"),
    ("redo", "Redo", "Повторить", "重做", "Ponów"),
    ("stage", "Stage", "Этап", "阶段", "Etap"),
    ("step", "Step", "Шаг", "步骤", "Krok"),
    ("lane", "Lane", "Дорожка", "泳道", "Ścieżka"),
    (
        "add_stage",
        "Add stage",
        "Добавить этап",
        "添加阶段",
        "Dodaj etap",
    ),
    (
        "add_step",
        "Add step",
        "Добавить шаг",
        "添加步骤",
        "Dodaj krok",
    ),
    (
        "add_lane",
        "Add lane",
        "Добавить дорожку",
        "添加泳道",
        "Dodaj ścieżkę",
    ),
    ("move_left", "Move left", "Влево", "左移", "W lewo"),
    ("move_right", "Move right", "Вправо", "右移", "W prawo"),
    ("move_up", "Move up", "Вверх", "上移", "W górę"),
    ("move_down", "Move down", "Вниз", "下移", "W dół"),
    ("cell", "Cell", "Ячейка", "单元格", "Komórka"),
    ("text", "Text", "Текст", "文本", "Tekst"),
    ("evidence", "Evidence", "Основание", "依据", "Dowód"),
    ("assumed", "Assumed", "Предположение", "假设", "Założenie"),
    ("observed", "Observed", "Наблюдение", "观察", "Obserwacja"),
    ("measured", "Measured", "Измерено", "测量", "Zmierzone"),
    ("none", "None", "Нет", "无", "Brak"),
    ("source", "Source", "Источник", "来源", "Źródło"),
    ("note", "Note", "Заметка", "备注", "Notatka"),
    ("channel", "Channel", "Канал", "渠道", "Kanał"),
    (
        "owner_field",
        "Owner",
        "Ответственный",
        "负责人",
        "Właściciel",
    ),
    ("severity", "Severity", "Серьёзность", "严重程度", "Waga"),
    (
        "critical",
        "Critical moment",
        "Критический момент",
        "关键时刻",
        "Moment krytyczny",
    ),
    ("impact", "Impact", "Эффект", "影响", "Wpływ"),
    ("effort", "Effort", "Усилия", "工作量", "Nakład"),
    ("importance", "Importance", "Важность", "重要性", "Ważność"),
    ("score", "Score", "Оценка", "评分", "Ocena"),
    ("metric", "Metric", "Метрика", "指标", "Metryka"),
    ("value", "Value", "Значение", "值", "Wartość"),
    ("target", "Target", "Цель", "目标", "Cel"),
    ("unit", "Unit", "Единица", "单位", "Jednostka"),
    ("low", "Low", "Низкая", "低", "Niska"),
    ("medium", "Medium", "Средняя", "中", "Średnia"),
    ("high", "High", "Высокая", "高", "Wysoka"),
    ("comments", "Comments", "Комментарии", "评论", "Komentarze"),
    (
        "add_comment",
        "Add comment",
        "Добавить комментарий",
        "添加评论",
        "Dodaj komentarz",
    ),
    ("history", "History", "История", "历史", "Historia"),
    ("revision", "Revision", "Ревизия", "修订", "Wersja"),
    ("restore", "Restore", "Восстановить", "恢复", "Przywróć"),
    ("diff", "Compare", "Сравнить", "比较", "Porównaj"),
    ("author", "Author", "Автор", "作者", "Autor"),
    ("when", "When", "Когда", "时间", "Kiedy"),
    ("export", "Export", "Экспорт", "导出", "Eksport"),
    (
        "print",
        "Print view",
        "Версия для печати",
        "打印视图",
        "Widok do druku",
    ),
    ("preview", "Preview", "Просмотр", "预览", "Podgląd"),
    ("editor", "Editor", "Редактор", "编辑器", "Edytor"),
    (
        "share_links",
        "Read-only links",
        "Ссылки только для чтения",
        "只读链接",
        "Linki tylko do odczytu",
    ),
    (
        "create_link",
        "Create link",
        "Создать ссылку",
        "创建链接",
        "Utwórz link",
    ),
    ("revoke", "Revoke", "Отозвать", "撤销链接", "Unieważnij"),
    (
        "new_persona",
        "New persona",
        "Новая персона",
        "新建画像",
        "Nowa persona",
    ),
    ("name", "Name", "Имя", "名称", "Nazwa"),
    ("age", "Age", "Возраст", "年龄", "Wiek"),
    ("occupation", "Occupation", "Род занятий", "职业", "Zawód"),
    ("quote", "Quote", "Цитата", "引语", "Cytat"),
    ("segment", "Segment", "Сегмент", "细分", "Segment"),
    ("goals", "Goals", "Цели", "目标", "Cele"),
    (
        "frustrations",
        "Frustrations",
        "Раздражители",
        "痛点",
        "Frustracje",
    ),
    ("needs", "Needs", "Потребности", "需求", "Potrzeby"),
    ("channels", "Channels", "Каналы", "渠道", "Kanały"),
    (
        "sources",
        "Information sources",
        "Источники информации",
        "信息来源",
        "Źródła informacji",
    ),
    (
        "objections",
        "Objections",
        "Возражения",
        "异议",
        "Zastrzeżenia",
    ),
    (
        "one_per_line",
        "one per line",
        "по одному в строке",
        "每行一项",
        "po jednym w wierszu",
    ),
    (
        "attach_personas",
        "Personas on this map",
        "Персоны на карте",
        "此地图的画像",
        "Persony na mapie",
    ),
    (
        "upload_events",
        "Upload event file",
        "Загрузить файл событий",
        "上传事件文件",
        "Prześlij plik zdarzeń",
    ),
    (
        "upload_hint",
        "CSV, JSONL, Parquet or XES",
        "CSV, JSONL, Parquet или XES",
        "CSV、JSONL、Parquet 或 XES",
        "CSV, JSONL, Parquet lub XES",
    ),
    (
        "column_mapping",
        "Column mapping",
        "Сопоставление столбцов",
        "列映射",
        "Mapowanie kolumn",
    ),
    (
        "case_column",
        "Case (customer) column",
        "Столбец клиента (кейса)",
        "案例（客户）列",
        "Kolumna przypadku (klienta)",
    ),
    (
        "activity_column",
        "Activity column",
        "Столбец действия",
        "活动列",
        "Kolumna czynności",
    ),
    (
        "time_column",
        "Timestamp column",
        "Столбец времени",
        "时间戳列",
        "Kolumna czasu",
    ),
    (
        "store_name",
        "Store name",
        "Имя хранилища",
        "存储名称",
        "Nazwa magazynu",
    ),
    (
        "first_rows",
        "First rows",
        "Первые строки",
        "前几行",
        "Pierwsze wiersze",
    ),
    (
        "stores",
        "Event stores",
        "Хранилища событий",
        "事件存储",
        "Magazyny zdarzeń",
    ),
    ("stats", "Statistics", "Статистика", "统计", "Statystyki"),
    ("cases", "Cases", "Кейсы", "案例", "Przypadki"),
    ("events", "Events", "События", "事件", "Zdarzenia"),
    ("activities", "Activities", "Действия", "活动", "Czynności"),
    ("funnel", "Funnel", "Воронка", "漏斗", "Lejek"),
    (
        "funnel_steps",
        "Funnel steps (activities, in order)",
        "Шаги воронки (действия по порядку)",
        "漏斗步骤（按顺序的活动）",
        "Kroki lejka (czynności po kolei)",
    ),
    (
        "window",
        "Window (hours)",
        "Окно (часы)",
        "窗口（小时）",
        "Okno (godziny)",
    ),
    ("run", "Run", "Выполнить", "运行", "Uruchom"),
    ("paths", "Paths", "Пути", "路径", "Ścieżki"),
    (
        "process_graph",
        "Process graph",
        "Граф процесса",
        "流程图",
        "Graf procesu",
    ),
    (
        "attach_store",
        "Attach to map",
        "Привязать к карте",
        "关联到地图",
        "Dołącz do mapy",
    ),
    (
        "data_map",
        "Data-backed map",
        "Карта на данных",
        "数据支撑的地图",
        "Mapa oparta na danych",
    ),
    ("sign_in", "Sign in", "Войти", "登录", "Zaloguj się"),
    ("sign_out", "Sign out", "Выйти", "退出", "Wyloguj się"),
    ("password", "Password", "Пароль", "密码", "Hasło"),
    (
        "read_only",
        "Read-only",
        "Только чтение",
        "只读",
        "Tylko do odczytu",
    ),
    (
        "uploading",
        "Uploading…",
        "Загрузка…",
        "正在上传…",
        "Przesyłanie…",
    ),
    (
        "importing",
        "Importing…",
        "Импорт…",
        "正在导入…",
        "Importowanie…",
    ),
    (
        "conversion",
        "Conversion",
        "Конверсия",
        "转化率",
        "Konwersja",
    ),
    ("reached", "Reached", "Дошли", "到达", "Dotarło"),
    (
        "emotion_hint",
        "Drag a point up or down to set the emotion score",
        "Перетащите точку вверх или вниз, чтобы задать эмоцию",
        "上下拖动点以设置情绪评分",
        "Przeciągnij punkt w górę lub w dół, aby ustawić emocję",
    ),
    ("updated", "Updated", "Изменено", "更新时间", "Zmieniono"),
    (
        "no_maps",
        "No maps yet",
        "Карт пока нет",
        "暂无地图",
        "Brak map",
    ),
    ("kind", "Kind", "Вид", "类型", "Rodzaj"),
    ("description", "Description", "Описание", "描述", "Opis"),
    (
        "confirm_delete",
        "Delete this?",
        "Удалить?",
        "确定删除？",
        "Usunąć?",
    ),
    (
        "start_activity",
        "Start activity",
        "Начальное действие",
        "起始活动",
        "Czynność początkowa",
    ),
    ("depth", "Depth", "Глубина", "深度", "Głębokość"),
    (
        "weak_points",
        "Weak points",
        "Слабые места",
        "薄弱环节",
        "Słabe punkty",
    ),
    ("drop_off", "Drop-off", "Отток", "流失", "Odpływ"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_shipped_language() {
        let mut headers = HeaderMap::new();
        headers.insert(
            axum::http::header::ACCEPT_LANGUAGE,
            "de-DE,de;q=0.9,pl;q=0.8,ru;q=0.7".parse().unwrap(),
        );
        assert_eq!(Lang::negotiate(&headers), Lang::Pl);
        headers.insert(axum::http::header::COOKIE, "cjm_lang=zh".parse().unwrap());
        assert_eq!(Lang::negotiate(&headers), Lang::Zh);
    }

    #[test]
    fn every_key_is_unique_and_translated() {
        for (i, row) in STRINGS.iter().enumerate() {
            assert!(
                STRINGS[..i].iter().all(|r| r.0 != row.0),
                "duplicate {}",
                row.0
            );
            assert!(
                ![row.1, row.2, row.3, row.4].contains(&""),
                "empty {}",
                row.0
            );
        }
    }
}

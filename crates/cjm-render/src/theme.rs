//! Colours and small vector icons. Text colours meet WCAG AA on their backgrounds;
//! every colour cue is doubled by an icon, a label or a line style.

use cjm_model::LaneKind;

use crate::xml::{SvgWriter, num};

/// Body text: contrast 15:1 on white.
pub const INK: &str = "#1f2328";
/// Secondary text: contrast 6:1 on white and 5:1 on the light tints.
pub const MUTED: &str = "#57606a";
/// Grid lines.
pub const GRID: &str = "#d0d7de";
/// Header background of stages and lanes.
pub const HEADER_BG: &str = "#f3f4f6";
/// Red for pain points and unmet targets (white text on it: 6.6:1).
pub const DANGER: &str = "#b71c1c";
/// Dark orange for medium severity (white text on it: 5.6:1).
pub const WARNING: &str = "#bf360c";
/// Green for opportunities and met targets (white text on it: 5.1:1).
pub const SUCCESS: &str = "#2e7d32";
/// Blue of the "measured" evidence tag (white text on it: 7.4:1).
pub const MEASURED: &str = "#0b5394";

/// The colours of a lane kind: an accent for stripes, borders and icons, and a light tint.
#[derive(Debug, Clone, Copy)]
pub struct KindStyle {
    pub accent: &'static str,
    pub tint: &'static str,
}

/// The colours of a lane kind.
pub fn kind_style(kind: LaneKind) -> KindStyle {
    let (accent, tint) = match kind {
        LaneKind::Actions => ("#1565c0", "#e8f1fb"),
        LaneKind::Goals => ("#6a1b9a", "#f4ecf8"),
        LaneKind::Thoughts => ("#00695c", "#e6f4f1"),
        LaneKind::Emotions => ("#ad1457", "#fdf0f5"),
        LaneKind::Touchpoints => ("#a04000", "#fdf1e7"),
        LaneKind::PainPoints => (DANGER, "#fdecea"),
        LaneKind::Opportunities => (SUCCESS, "#ebf5ec"),
        LaneKind::Metrics => ("#37474f", "#eef1f3"),
        LaneKind::FrontStage => ("#01579b", "#e6f2fa"),
        LaneKind::BackStage => ("#5d4037", "#f3eeec"),
        LaneKind::SupportProcesses => ("#455a64", "#edf0f2"),
        LaneKind::LineOfVisibility => ("#616161", "#ffffff"),
        LaneKind::Text => ("#546e7a", "#f5f7f8"),
    };
    KindStyle { accent, tint }
}

/// A palette of light stage header backgrounds, cycled through stage by stage.
pub const STAGE_TINTS: [&str; 6] = [
    "#e3ecf7", "#e6f2ea", "#f6ecdf", "#efe7f5", "#e3f1f2", "#f5e6e9",
];

/// The colour of an emotion score, from `t` = 0 (scale minimum) to 1 (maximum).
pub fn emotion_colour(t: f32) -> &'static str {
    match t {
        t if t < 0.2 => DANGER,
        t if t < 0.4 => WARNING,
        t if t <= 0.6 => "#5f6b76",
        t if t <= 0.8 => "#2e7d32",
        _ => "#1b5e20",
    }
}

/// Draws the 16×16 icon of a lane kind with its top-left corner at (x, y).
pub fn lane_icon(svg: &mut SvgWriter, kind: LaneKind, x: f32, y: f32) {
    let c = kind_style(kind).accent;
    let stroke = format!(
        r#"fill="none" stroke="{c}" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round""#
    );
    let fill = format!(r#"fill="{c}""#);
    let p = |dx: f32, dy: f32| format!("{} {}", num(x + dx), num(y + dy));
    match kind {
        LaneKind::Actions => svg.path(
            &format!(
                "M{} H{} M{} L{} L{}",
                p(2.0, 8.0),
                num(x + 14.0),
                p(10.0, 4.0),
                p(14.0, 8.0),
                p(10.0, 12.0)
            ),
            &stroke,
        ),
        LaneKind::Goals => {
            svg.circle(x + 8.0, y + 8.0, 7.0, &stroke);
            svg.circle(x + 8.0, y + 8.0, 3.5, &stroke);
            svg.circle(x + 8.0, y + 8.0, 1.2, &fill);
        }
        LaneKind::Thoughts => {
            svg.rect(x + 1.0, y + 1.0, 14.0, 10.0, 5.0, &stroke);
            svg.circle(x + 4.0, y + 13.5, 1.5, &fill);
        }
        LaneKind::Emotions => svg.path(
            &format!(
                "M{} Q{} {} T{}",
                p(1.0, 10.0),
                p(4.5, 2.0),
                p(8.0, 8.0),
                p(15.0, 6.0)
            ),
            &stroke,
        ),
        LaneKind::Touchpoints => {
            svg.circle(x + 4.0, y + 8.0, 3.0, &stroke);
            svg.circle(x + 12.0, y + 8.0, 3.0, &stroke);
            svg.line(x + 7.0, y + 8.0, x + 9.0, y + 8.0, &stroke);
        }
        LaneKind::PainPoints => {
            svg.path(
                &format!("M{} L{} L{} Z", p(8.0, 1.0), p(15.5, 14.5), p(0.5, 14.5)),
                &fill,
            );
            svg.line(
                x + 8.0,
                y + 5.5,
                x + 8.0,
                y + 9.5,
                r##"stroke="#ffffff" stroke-width="1.8" stroke-linecap="round""##,
            );
            svg.circle(x + 8.0, y + 12.0, 1.0, r##"fill="#ffffff""##);
        }
        LaneKind::Opportunities => svg.path(
            &format!(
                "M{} V{} M{} L{} L{}",
                p(8.0, 15.0),
                num(y + 2.0),
                p(3.0, 7.0),
                p(8.0, 2.0),
                p(13.0, 7.0)
            ),
            &stroke,
        ),
        LaneKind::Metrics => {
            svg.rect(x + 1.0, y + 9.0, 3.5, 6.0, 0.5, &fill);
            svg.rect(x + 6.25, y + 5.0, 3.5, 10.0, 0.5, &fill);
            svg.rect(x + 11.5, y + 1.0, 3.5, 14.0, 0.5, &fill);
        }
        LaneKind::FrontStage | LaneKind::BackStage => {
            svg.path(
                &format!(
                    "M{} Q{} {} Q{} {} Z",
                    p(1.0, 8.0),
                    p(8.0, 1.0),
                    p(15.0, 8.0),
                    p(8.0, 15.0),
                    p(1.0, 8.0)
                ),
                &stroke,
            );
            svg.circle(x + 8.0, y + 8.0, 2.2, &fill);
            if kind == LaneKind::BackStage {
                svg.line(x + 2.0, y + 14.0, x + 14.0, y + 2.0, &stroke);
            }
        }
        LaneKind::SupportProcesses => {
            for dy in [2.0, 7.0, 12.0] {
                svg.rect(x + 1.0, y + dy, 14.0, 3.0, 1.0, &fill);
            }
        }
        LaneKind::LineOfVisibility => svg.line(
            x,
            y + 8.0,
            x + 16.0,
            y + 8.0,
            &format!(r#"stroke="{c}" stroke-width="2" stroke-dasharray="4 3""#),
        ),
        LaneKind::Text => {
            for (dy, w) in [(3.0, 14.0), (8.0, 14.0), (13.0, 9.0)] {
                svg.line(x + 1.0, y + dy, x + 1.0 + w, y + dy, &stroke);
            }
        }
    }
}

/// The kind of a channel, recognised from its name in any of the supported languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelKind {
    Web,
    App,
    Email,
    Phone,
    Store,
    Chat,
    Other,
}

/// Recognises the kind of a channel from its (free text) name.
pub fn channel_kind(channel: &str) -> ChannelKind {
    let name = channel.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| name.contains(w));
    if has(&["mail", "почт", "邮件", "邮箱", "list"]) {
        ChannelKind::Email
    } else if has(&[
        "chat",
        "чат",
        "聊天",
        "messenger",
        "telegram",
        "whatsapp",
        "мессенджер",
        "微信",
        "客服",
        "czat",
    ]) {
        ChannelKind::Chat
    } else if has(&["app", "mobile", "прилож", "应用", "aplik", "手机"]) {
        ChannelKind::App
    } else if has(&["phone", "call", "тел", "звон", "电话", "infolin"]) {
        ChannelKind::Phone
    } else if has(&[
        "web", "site", "сайт", "网站", "网页", "online", "strona", "portal",
    ]) {
        ChannelKind::Web
    } else if has(&[
        "store",
        "shop",
        "branch",
        "office",
        "магазин",
        "офис",
        "отделен",
        "门店",
        "网点",
        "分行",
        "sklep",
        "oddział",
        "salon",
        "biuro",
    ]) {
        ChannelKind::Store
    } else {
        ChannelKind::Other
    }
}

/// Draws a 12×12 channel glyph with its top-left corner at (x, y).
pub fn channel_icon(svg: &mut SvgWriter, channel: &str, x: f32, y: f32, colour: &str) {
    let stroke =
        format!(r#"fill="none" stroke="{colour}" stroke-width="1.4" stroke-linejoin="round""#);
    let p = |dx: f32, dy: f32| format!("{} {}", num(x + dx), num(y + dy));
    match channel_kind(channel) {
        ChannelKind::Web => {
            svg.circle(x + 6.0, y + 6.0, 5.5, &stroke);
            svg.path(
                &format!(
                    "M{} Q{} {} Q{} {} Z",
                    p(6.0, 0.5),
                    p(1.5, 6.0),
                    p(6.0, 11.5),
                    p(10.5, 6.0),
                    p(6.0, 0.5)
                ),
                &stroke,
            );
            svg.line(x + 0.5, y + 6.0, x + 11.5, y + 6.0, &stroke);
        }
        ChannelKind::App => {
            svg.rect(x + 2.5, y + 0.5, 7.0, 11.0, 1.5, &stroke);
            svg.circle(x + 6.0, y + 9.5, 0.8, &format!(r#"fill="{colour}""#));
        }
        ChannelKind::Email => {
            svg.rect(x + 0.5, y + 2.0, 11.0, 8.0, 1.0, &stroke);
            svg.path(
                &format!("M{} L{} L{}", p(0.5, 2.5), p(6.0, 6.5), p(11.5, 2.5)),
                &stroke,
            );
        }
        ChannelKind::Phone => svg.path(
            &format!(
                "M{} C{} {} {} C{} {} {} Z",
                p(2.0, 0.5),
                p(-1.0, 5.0),
                p(6.0, 12.5),
                p(11.5, 10.0),
                p(12.0, 8.0),
                p(4.0, 2.0),
                p(2.0, 0.5)
            ),
            &format!(r#"fill="{colour}""#),
        ),
        ChannelKind::Store => {
            svg.path(
                &format!("M{} L{} L{} Z", p(0.5, 5.0), p(6.0, 0.5), p(11.5, 5.0)),
                &stroke,
            );
            svg.rect(x + 1.5, y + 5.0, 9.0, 6.5, 0.0, &stroke);
        }
        ChannelKind::Chat => {
            svg.rect(x + 0.5, y + 0.5, 11.0, 8.0, 2.5, &stroke);
            svg.path(
                &format!("M{} L{} L{}", p(3.0, 8.5), p(2.5, 11.5), p(6.0, 8.5)),
                &stroke,
            );
        }
        ChannelKind::Other => svg.circle(x + 6.0, y + 6.0, 4.0, &stroke),
    }
}

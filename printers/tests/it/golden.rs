//! Golden pictures of printed receipts: the virtual printer's PNG of fixed receipts on
//! 58 and 80 mm paper, in Kazakh and Russian, online, autonomous and demo, and a return,
//! compared byte for byte with `printers/tests/golden/*.png`. A person looks at every
//! picture before blessing it (`SAUDA_BLESS=1` rewrites them after a deliberate change).

use std::path::PathBuf;

use sauda::commands::dto::HeaderOut;
use sauda::journal::record::{ReceiptPayload, Settings};
use sauda::link::message::fixtures::{sale, sale_return, z_payload};
use sauda::receipt_layout::{self, Lang, ReceiptView};
use sauda_printers::Profile;
use sauda_printers::render::{self, Options};
use sauda_printers::virtual_printer;

struct Case {
    name: &'static str,
    receipt: ReceiptPayload,
    demo: bool,
    sign: Option<&'static str>,
    autonomous: bool,
    lang: Lang,
    profile: Profile,
}

fn cases() -> Vec<Case> {
    let case = |name, receipt, demo, sign, autonomous, lang, profile| Case {
        name,
        receipt,
        demo,
        sign,
        autonomous,
        lang,
        profile,
    };
    vec![
        case(
            "sale_online_kk_80",
            sale(),
            false,
            Some("2358573071"),
            false,
            Lang::Kk,
            Profile::generic_80(),
        ),
        case(
            "sale_online_ru_58",
            sale(),
            false,
            Some("2358573071"),
            false,
            Lang::Ru,
            Profile::generic_58(),
        ),
        case(
            "sale_autonomous_kk_58",
            sale(),
            false,
            Some("68353206"),
            true,
            Lang::Kk,
            Profile::generic_58(),
        ),
        case(
            "sale_demo_ru_80",
            sale(),
            true,
            Some("9001"),
            false,
            Lang::Ru,
            Profile::generic_80(),
        ),
        case(
            "return_kk_80",
            sale_return(),
            false,
            Some("2358573072"),
            false,
            Lang::Kk,
            Profile::epson_80(),
        ),
        case(
            "sale_online_kk_80_serial_inline",
            sale(),
            false,
            Some("2358573071"),
            false,
            Lang::Kk,
            Profile::xprinter_80_serial(),
        ),
    ]
}

fn picture(c: &Case) -> Vec<u8> {
    let settings = Settings {
        demo: c.demo,
        org_name: "ЖШС «Сауда Дүкені» / ТОО «Сауда Дукени»".into(),
        bin: "990101000014".into(),
        rnm: "600400300200".into(),
        ofd_name: "«Қазақтелеком» АҚ / АО «Казахтелеком»".into(),
        receipt_check_url: "consumer.oofd.kz".into(),
        ..sauda::registration::demo_settings()
    };
    let receipt = ReceiptPayload {
        demo: c.demo,
        ..c.receipt.clone()
    };
    let view = ReceiptView {
        settings: &settings,
        receipt: &receipt,
        created_at: "02.03.2026 14:15:30".into(),
        fiscal_sign: c.sign.map(str::to_string),
        autonomous: c.autonomous,
        copy: false,
        check_url: c
            .sign
            .map(|s| sauda::link::check_url(&settings, s, receipt.total, 1_772_442_930_000)),
    };
    let lines = receipt_layout::receipt(&view, c.lang, c.profile.chars);
    let bytes = render::receipt(&lines, &c.profile, &Options { drawer: false });
    let out = virtual_printer::print(&bytes, &c.profile).expect("valid ESC/POS");
    virtual_printer::png(&out.paper)
}

/// R-16…R-20: a Z report with its number, counters, VAT, sections and checksums.
fn z_picture(lang: Lang, profile: &Profile) -> Vec<u8> {
    let z = z_payload();
    let header = HeaderOut {
        demo: false,
        org_name: "ЖШС «Сауда Дүкені» / ТОО «Сауда Дукени»".into(),
        bin: "990101000014".into(),
        address: "Астана қ., Демо к-сі, 1".into(),
        rnm: "600400300200".into(),
        factory_number: "SAUDA-0001".into(),
        kkm_id: "1".into(),
        vat_payer: true,
        default_lang: "kk".into(),
    };
    let view = sauda::report_layout::ReportView {
        header: &header,
        z_number: Some("0003"),
        opened_at: Some("02.03.2026 08:00:00"),
        taken_at: "02.03.2026 22:00:00",
        shift_checksum: Some(&z.shift_checksum),
        total_checksum: Some(&z.total_checksum),
        report: &z.report,
    };
    let lines = sauda::report_layout::report(&view, lang, profile.chars);
    let bytes = render::receipt(&lines, profile, &Options { drawer: false });
    let out = virtual_printer::print(&bytes, profile).expect("valid ESC/POS");
    virtual_printer::png(&out.paper)
}

#[test]
fn r2_r10_r16_r60_r75_r77_printed_receipts_and_reports_match_their_golden_pictures() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let bless = std::env::var_os("SAUDA_BLESS").is_some();
    let mut changed = Vec::new();
    let receipts = cases().into_iter().map(|c| (c.name, picture(&c)));
    let reports = [
        ("z_kk_80", z_picture(Lang::Kk, &Profile::epson_80())),
        ("z_ru_58", z_picture(Lang::Ru, &Profile::generic_58())),
    ];
    for (name, png) in receipts.chain(reports) {
        let path = dir.join(format!("{name}.png"));
        if bless {
            std::fs::create_dir_all(&dir).expect("golden folder");
            std::fs::write(&path, &png).expect("write golden");
        } else if std::fs::read(&path).ok().as_deref() != Some(png.as_slice()) {
            changed.push(path.display().to_string());
        }
    }
    assert!(
        changed.is_empty(),
        "printed receipts differ from (or lack) their golden pictures: {changed:?}; look at them and rerun with SAUDA_BLESS=1 if intended"
    );
}

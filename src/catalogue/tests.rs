//! The catalogue on a real SQLite file: saving, finding by barcode, PLU and text,
//! archiving, price history, and CSV import with every kind of bad row.

use super::csv_io::{ImportOptions, decode, export, import};
use super::*;
use crate::domain::vat::TaxTable;

fn open() -> (tempfile::TempDir, Catalogue) {
    let dir = tempfile::tempdir().expect("temp dir");
    let catalogue = Catalogue::open(dir.path()).expect("opens");
    (dir, catalogue)
}

const GOOD_CSV: &str = "\
code;name_kk;name_ru;price;unit;vat;section;barcodes;ntin;weighted;marked;age_restricted;quick_key
1001;Нан «Бородинский»;Хлеб «Бородинский»;250;шт;16;Нан;4870123456789;02000000020012;0;0;0;1
1002;Алма Апорт;Яблоки Апорт;890,50;кг;;Жеміс;;;1;0;0;2
1003;Шылым Kent;Сигареты Kent;1450;;16;;04870001234560|46001238;;0;1;1;
";

fn import_text(c: &mut Catalogue, text: &str, options: ImportOptions) -> csv_io::ImportReport {
    import(
        c,
        text.as_bytes(),
        &TaxTable::default(),
        options,
        "Әкімші",
        1_000,
    )
    .expect("import runs")
}

#[test]
fn a_clean_file_imports_and_every_item_is_found_by_each_key() {
    let (_dir, mut c) = open();
    let report = import_text(&mut c, GOOD_CSV, ImportOptions::default());
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    assert_eq!(
        (report.rows, report.added, report.updated, report.imported),
        (3, 3, 0, true)
    );
    let bread = c
        .by_barcode("04870123456789")
        .expect("query")
        .expect("found");
    assert_eq!(bread.fields.name_kk, "Нан «Бородинский»");
    assert_eq!(bread.fields.ntin.as_deref(), Some("02000000020012"));
    let apples = c.by_plu("0001002").expect("query").expect("by PLU");
    assert!(apples.fields.weighted);
    assert_eq!(
        (apples.fields.price_tiyn, apples.fields.unit.as_str()),
        (89_050, "166")
    );
    let kent = c
        .by_barcode("00000046001238")
        .expect("query")
        .expect("EAN-8 as GTIN-14");
    assert!(kent.fields.marked && kent.fields.age_restricted);
    assert_eq!(kent.fields.unit, "796", "pieces when the unit is empty");
    let found = c.search("апорт", 10, false).expect("search");
    assert_eq!(found.len(), 1, "search ignores case in Cyrillic");
    assert_eq!(
        c.search("4870123456789", 10, false).expect("search")[0].id,
        bread.id
    );
    let keys: Vec<_> = c
        .quick_keys()
        .expect("keys")
        .iter()
        .map(|g| g.fields.code.clone())
        .collect();
    assert_eq!(keys, ["1001", "1002"]);
}

#[test]
fn a_second_import_updates_and_keeps_the_price_history() {
    let (_dir, mut c) = open();
    import_text(&mut c, GOOD_CSV, ImportOptions::default());
    let dearer = GOOD_CSV.replace(";250;шт", ";275;шт");
    let report = import_text(&mut c, &dearer, ImportOptions::default());
    assert_eq!((report.added, report.updated), (0, 3));
    let history: Vec<(Option<i64>, i64)> = c
        .conn()
        .prepare("SELECT old, new FROM price_changes WHERE goods_id = (SELECT id FROM goods WHERE code = '1001') ORDER BY id")
        .expect("prepare")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(history, [(None, 25_000), (Some(25_000), 27_500)]);
}

#[test]
fn every_bad_row_is_reported_with_its_line_and_nothing_is_imported() {
    let (_dir, mut c) = open();
    let bad = "\
code;name_ru;price;unit;barcodes;weighted;quick_key
1;Хлеб;250;шт;4870123456789;0;
2;Молоко;abc;шт;;0;
3;;100;шт;;0;
4;Сахар;100;ящик;;0;
5;Соль;100;шт;4870123456788;0;
6;Масло;100;шт;4870123456789;0;
1;Хлеб дубль;100;шт;;0;
8;Мука;100;шт;;может быть;
9;Рис;100;шт;;1;
10;Гречка;100;кг;;1;77
";
    let report = import_text(&mut c, bad, ImportOptions::default());
    let lines: Vec<u64> = report.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [3, 4, 5, 6, 7, 8, 9, 10, 11], "{:#?}", report.errors);
    assert!(
        report.errors[0].message.contains("price"),
        "{:#?}",
        report.errors
    );
    assert!(
        report.errors[4].message.contains("line 2"),
        "the duplicate names the first line"
    );
    // Each row's problem also travels as a key and its values, which the UI words in
    // Kazakh or Russian: the screen never shows the English.
    use crate::problem::ProblemKey as K;
    let keys: Vec<K> = report.errors.iter().map(|e| e.key).collect();
    assert_eq!(
        keys,
        [
            K::PriceUnreadable,
            K::NoName,
            K::UnknownUnit,
            K::BarcodeCheckDigit,
            K::BarcodeRepeated,
            K::CodeRepeated,
            K::FlagUnreadable,
            K::WeighedInPieces,
            K::QuickKeyRange,
        ],
        "{:#?}",
        report.errors
    );
    assert_eq!(report.errors[4].args, ["04870123456789", "2"]);
    assert_eq!(report.errors[6].args, ["weighted", "может быть"]);
    assert!(!report.imported);
    assert_eq!(c.count().expect("count"), 0, "nothing half-imported");

    let report = import_text(
        &mut c,
        bad,
        ImportOptions {
            valid_only: true,
            ..Default::default()
        },
    );
    assert!(report.imported);
    assert_eq!(
        (report.valid, report.added),
        (1, 1),
        "only line 2 was valid"
    );
}

#[test]
fn a_dry_run_checks_everything_and_writes_nothing() {
    let (_dir, mut c) = open();
    let report = import_text(
        &mut c,
        GOOD_CSV,
        ImportOptions {
            dry_run: true,
            ..Default::default()
        },
    );
    assert_eq!((report.valid, report.imported), (3, false));
    assert_eq!(c.count().expect("count"), 0);
}

#[test]
fn header_faults_stop_at_line_one() {
    let (_dir, mut c) = open();
    for (text, says) in [
        ("name_ru;price\nХлеб;1\n", "'code' is missing"),
        (
            "code;name_ru;price;colour\n1;Хлеб;1;red\n",
            "unknown column 'colour'",
        ),
        ("code;price\n1;1\n", "name column is missing"),
    ] {
        let report = import_text(&mut c, text, ImportOptions::default());
        assert_eq!(report.errors.len(), 1, "{text}");
        assert_eq!(report.errors[0].line, 1);
        assert!(
            report.errors[0].message.contains(says),
            "{:?}",
            report.errors[0]
        );
    }
}

#[test]
fn encodings_utf8_with_and_without_bom_and_windows_1251() {
    let text = "артикул;наименование;цена\n7;Сыр «Российский»;3200,00\n";
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(text);
    let with_bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
    for (bytes, name) in [
        (text.as_bytes().to_vec(), "utf-8"),
        (with_bom, "utf-8 with BOM"),
        (cp1251.into_owned(), "windows-1251"),
    ] {
        let (decoded, encoding) = decode(&bytes);
        assert_eq!((decoded.as_str(), encoding), (text, name));
        let (_dir, mut c) = open();
        let report = import(
            &mut c,
            &bytes,
            &TaxTable::default(),
            ImportOptions::default(),
            "t",
            1,
        )
        .expect("import runs");
        assert!(report.imported, "{name}: {:#?}", report.errors);
        let cheese = c.by_code("7").expect("query").expect("found");
        assert_eq!(cheese.fields.name_ru, "Сыр «Российский»", "{name}");
    }
}

#[test]
fn barcodes_move_between_goods_of_one_file_but_not_from_goods_outside_it() {
    let (_dir, mut c) = open();
    import_text(&mut c, GOOD_CSV, ImportOptions::default());
    // 1001's barcode moves to a new item 2001 while 1001 is in the file without it.
    let moved = "code;name_ru;price;barcodes\n2001;Хлеб новый;260;4870123456789\n1001;Хлеб;250;\n";
    let report = import_text(&mut c, moved, ImportOptions::default());
    assert!(report.imported, "{:#?}", report.errors);
    assert_eq!(
        c.by_barcode("04870123456789")
            .expect("q")
            .expect("found")
            .fields
            .code,
        "2001"
    );
    // …but it cannot be taken from 2001 by a file that leaves 2001 out.
    let taken = "code;name_ru;price;barcodes\n3001;Хлеб чужой;260;4870123456789\n";
    let report = import_text(&mut c, taken, ImportOptions::default());
    assert!(
        report.errors[0].message.contains("belongs to item 2001"),
        "{:#?}",
        report.errors
    );
}

#[test]
fn export_reads_back_as_the_same_catalogue() {
    let (_dir, mut c) = open();
    import_text(&mut c, GOOD_CSV, ImportOptions::default());
    let csv = export(&c).expect("export");
    assert!(csv.starts_with(b"\xEF\xBB\xBF"));
    let (_dir2, mut copy) = open();
    let report = import(
        &mut copy,
        &csv,
        &TaxTable::default(),
        ImportOptions::default(),
        "t",
        1,
    )
    .expect("import runs");
    assert!(report.imported, "{:#?}", report.errors);
    let strip = |all: Vec<Goods>| all.into_iter().map(|g| g.fields).collect::<Vec<_>>();
    assert_eq!(
        strip(c.all().expect("all")),
        strip(copy.all().expect("all"))
    );
}

#[test]
fn archived_goods_leave_the_quick_keys_and_search() {
    let (_dir, mut c) = open();
    import_text(&mut c, GOOD_CSV, ImportOptions::default());
    let bread = c.by_code("1001").expect("q").expect("found");
    let archived = c.set_archived(bread.id, true, 5).expect("archive");
    assert!(archived.archived && archived.fields.quick_key.is_none());
    assert!(c.search("нан", 10, false).expect("search").is_empty());
    assert_eq!(c.search("нан", 10, true).expect("search").len(), 1);
    assert_eq!(c.quick_keys().expect("keys").len(), 1);
    assert!(matches!(
        c.set_archived(999, true, 5),
        Err(CatalogueError::NoSuchId(999))
    ));
}

#[test]
fn a_quick_key_or_barcode_held_by_another_item_is_refused_on_save() {
    let (_dir, mut c) = open();
    import_text(&mut c, GOOD_CSV, ImportOptions::default());
    let taxes = TaxTable::default();
    let new = GoodsFields {
        code: "5000".into(),
        name_ru: "Вода".into(),
        price_tiyn: 20_000,
        quick_key: Some(1),
        ..GoodsFields::default()
    }
    .validate(&taxes)
    .expect("valid");
    let err = c.save(None, &new, "t", 1).expect_err("key 1 is taken");
    assert!(
        err.to_string()
            .contains("quick key 1 already holds item 1001"),
        "{err}"
    );
    let new = GoodsFields {
        quick_key: None,
        barcodes: vec!["04870123456789".into()],
        ..new
    };
    let err = c.save(None, &new, "t", 1).expect_err("barcode is taken");
    assert!(err.to_string().contains("belongs to item 1001"), "{err}");
    assert!(
        c.by_code("5000").expect("q").is_none(),
        "a refused save leaves nothing behind"
    );
}

/// A price list of code, name and price updates those and leaves the rest: the
/// cigarettes stay marked with their barcodes and unit, the Kazakh name stays Kazakh.
#[test]
fn a_partial_file_changes_only_its_columns() {
    let (_dir, mut c) = open();
    import_text(&mut c, GOOD_CSV, ImportOptions::default());
    let prices =
        "code;name_ru;price\n1003;Сигареты Kent (новая цена);1550\n1002;Яблоки Апорт;920\n";
    let report = import_text(&mut c, prices, ImportOptions::default());
    assert_eq!(
        (report.updated, report.imported),
        (2, true),
        "{:#?}",
        report.errors
    );
    let kent = c.by_code("1003").expect("q").expect("kept").fields;
    assert_eq!(kent.name_ru, "Сигареты Kent (новая цена)");
    assert_eq!(kent.price_tiyn, 155_000);
    assert_eq!(
        kent.name_kk, "Шылым Kent",
        "the Kazakh name is not replaced"
    );
    assert!(
        kent.marked && kent.age_restricted,
        "still marked, still 21+"
    );
    assert_eq!(kent.barcodes, ["00000046001238", "04870001234560"]);
    assert_eq!(kent.vat_group.as_deref(), Some("16"));
    let apples = c.by_code("1002").expect("q").expect("kept").fields;
    assert!(
        apples.weighted && apples.unit == "166",
        "still weighed in kg"
    );
    assert_eq!(apples.quick_key, Some(2), "keeps its quick key");
    // A column the file does have is taken as written, also when empty.
    let cleared = "code;name_ru;price;barcodes\n1003;Сигареты Kent;1550;\n";
    import_text(&mut c, cleared, ImportOptions::default());
    assert!(
        c.by_code("1003")
            .expect("q")
            .expect("kept")
            .fields
            .barcodes
            .is_empty()
    );
}

/// "New item" with an article code another item has is refused, never a silent
/// overwrite of that item; a shop label is found by search as printed, in any case.
#[test]
fn a_new_item_never_takes_over_another_and_labels_are_found_as_printed() {
    let (_dir, mut c) = open();
    import_text(&mut c, GOOD_CSV, ImportOptions::default());
    let intruder = GoodsFields {
        code: "1001".into(),
        name_ru: "Чужой товар".into(),
        price_tiyn: 1,
        ..GoodsFields::default()
    }
    .validate(&TaxTable::default())
    .expect("valid");
    let err = c.save(None, &intruder, "t", 2).expect_err("code taken");
    assert!(
        err.to_string().contains("already has the code 1001"),
        "{err}"
    );
    assert_eq!(
        c.by_code("1001").expect("q").expect("kept").fields.name_ru,
        "Хлеб «Бородинский»"
    );

    let label = GoodsFields {
        code: "L1".into(),
        name_ru: "Салат".into(),
        price_tiyn: 100,
        barcodes: vec!["SHOP-Ab12".into()],
        ..GoodsFields::default()
    }
    .validate(&TaxTable::default())
    .expect("valid");
    c.save(None, &label, "t", 3).expect("saved");
    let found = c.search("SHOP-Ab12", 5, false).expect("search");
    assert_eq!(found.first().map(|g| g.fields.code.as_str()), Some("L1"));
}

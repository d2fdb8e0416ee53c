//! The load benchmark (`sauda bench --server`) at its smallest: two registers, two
//! clients selling at once over loopback, and not one failed sale. It checks that the
//! benchmark runs and that concurrent sales on the server succeed, not how fast.

#[test]
fn two_clients_sell_on_two_registers_without_an_error() {
    let figures = sauda_server::bench::run(2, 2, 5).expect("the benchmark runs");
    assert_eq!(figures.errors, 0, "{:?}", figures.first_error);
    assert_eq!(figures.sales, 10);
    assert!(figures.http_p99_ms.is_finite() && figures.in_process_p99_ms.is_finite());
}

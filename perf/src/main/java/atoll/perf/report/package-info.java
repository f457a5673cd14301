/**
 * The perf harness's results: the result files every suite writes ({@link atoll.perf.report.SuiteResult},
 * {@link atoll.perf.report.Measurement}), the records the suite scripts append ({@code Records}), JMH's
 * JSON ({@link atoll.perf.report.JmhImport}), the self-contained HTML report with SVG charts
 * ({@link atoll.perf.report.Html}), Markdown tables, and the comparison of two runs
 * ({@link atoll.perf.report.Compare}). JDK only: {@link atoll.perf.report.Main} runs without the
 * rest of the module (perf/README.md, "One command: ./atoll perf").
 */
package atoll.perf.report;

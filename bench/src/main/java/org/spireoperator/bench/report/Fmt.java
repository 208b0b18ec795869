package org.spireoperator.bench.report;

import java.util.Locale;

/** Number formatting for the tables: fixed decimals, "–" for what was not measured. */
public final class Fmt {

  public static final String NONE = "–";

  private Fmt() {}

  public static String s(double seconds) {
    return Double.isNaN(seconds) ? NONE : String.format(Locale.ROOT, "%.1f s", seconds);
  }

  public static String ms(double ms) {
    return Double.isNaN(ms) ? NONE : String.format(Locale.ROOT, "%.0f ms", ms);
  }

  public static String mib(double mib) {
    return Double.isNaN(mib) ? NONE : String.format(Locale.ROOT, "%.0f MiB", mib);
  }

  public static String num(double v, int decimals) {
    return Double.isNaN(v) || Double.isInfinite(v)
        ? NONE
        : String.format(Locale.ROOT, "%,." + decimals + "f", v);
  }

  public static String ratio(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? NONE : String.format(Locale.ROOT, "%.2f×", v);
  }

  public static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}

package org.spireoperator.config;

import java.util.regex.Pattern;

/** The syntax of the entry IDs the operator chooses (SPIRE allows {@code [-._0-9A-Za-z]}). */
final class EntryIds {

  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]+");

  private EntryIds() {}

  /** 1 to {@link Identity#MAX_ENTRY_ID_PREFIX} letters, digits, '.', '_' and '-'. */
  static boolean isPrefix(String s) {
    return s.length() <= Identity.MAX_ENTRY_ID_PREFIX && PREFIX.matcher(s).matches();
  }
}

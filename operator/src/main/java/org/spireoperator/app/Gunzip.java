package org.spireoperator.app;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * A gzip stream (RFC 1952) inflated as its bytes arrive, in chunks cut anywhere: what {@link
 * java.util.zip.GZIPInputStream} does for a stream one pulls from, for bytes pushed from an HTTP
 * response. Every member's header is checked (magic, method, flags; the optional extra field, name,
 * comment and header CRC skipped) and its trailer's CRC-32 and length compared with what was
 * inflated; members may follow one another. A malformed stream throws {@link ZipException}. Not
 * thread-safe: one response's chunks arrive one after the other. The inflater's native memory is
 * freed when the stream is unreachable (the JDK's cleaner), as a response's body is once read.
 */
final class Gunzip {

  private static final int OUT_CHUNK = 64 * 1024;
  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;
  private static final int RESERVED = 0xE0;

  private enum Part {
    FIXED_HEADER,
    EXTRA_LENGTH,
    EXTRA,
    NAME,
    COMMENT,
    HEADER_CRC,
    DATA,
    TRAILER,
    END
  }

  private final Inflater inflater = new Inflater(true);
  private final CRC32 crc = new CRC32();
  private final byte[] scratch = new byte[10];
  private Part part = Part.FIXED_HEADER;
  private int have;
  private int flags;
  private int extraLeft;
  private long inflated;

  /** Inflates {@code in} (read to its limit); returns what it inflated to, in order. */
  List<ByteBuffer> push(ByteBuffer in) throws ZipException {
    List<ByteBuffer> out = new ArrayList<>();
    while (in.hasRemaining()) {
      switch (part) {
        case FIXED_HEADER -> {
          if (fill(in, 10)) {
            fixedHeader();
          }
        }
        case EXTRA_LENGTH -> {
          if (fill(in, 2)) {
            extraLeft = (scratch[0] & 0xFF) | (scratch[1] & 0xFF) << 8;
            part = Part.EXTRA;
          }
        }
        case EXTRA -> {
          int skip = Math.min(extraLeft, in.remaining());
          in.position(in.position() + skip);
          extraLeft -= skip;
          if (extraLeft == 0) {
            part = afterExtra();
          }
        }
        case NAME -> {
          if (skipZeroTerminated(in)) {
            part = afterName();
          }
        }
        case COMMENT -> {
          if (skipZeroTerminated(in)) {
            part = afterComment();
          }
        }
        case HEADER_CRC -> {
          if (fill(in, 2)) {
            part = Part.DATA;
          }
        }
        case DATA -> inflate(in, out);
        case TRAILER -> {
          if (fill(in, 8)) {
            trailer();
          }
        }
        case END -> startNextMember();
      }
    }
    return out;
  }

  /** True once the stream ended with a whole member's trailer; false in the middle of a member. */
  boolean complete() {
    return part == Part.END;
  }

  private boolean fill(ByteBuffer in, int size) {
    int n = Math.min(size - have, in.remaining());
    in.get(scratch, have, n);
    have += n;
    if (have < size) {
      return false;
    }
    have = 0;
    return true;
  }

  private void fixedHeader() throws ZipException {
    if ((scratch[0] & 0xFF) != 0x1F || (scratch[1] & 0xFF) != 0x8B) {
      throw new ZipException("not in gzip format");
    }
    if (scratch[2] != 8) {
      throw new ZipException("unsupported gzip compression method " + (scratch[2] & 0xFF));
    }
    flags = scratch[3] & 0xFF;
    if ((flags & RESERVED) != 0) {
      throw new ZipException("reserved gzip flags set: " + flags);
    }
    part = (flags & FEXTRA) != 0 ? Part.EXTRA_LENGTH : afterExtra();
  }

  private Part afterExtra() {
    return (flags & FNAME) != 0 ? Part.NAME : afterName();
  }

  private Part afterName() {
    return (flags & FCOMMENT) != 0 ? Part.COMMENT : afterComment();
  }

  private Part afterComment() {
    return (flags & FHCRC) != 0 ? Part.HEADER_CRC : Part.DATA;
  }

  private static boolean skipZeroTerminated(ByteBuffer in) {
    while (in.hasRemaining()) {
      if (in.get() == 0) {
        return true;
      }
    }
    return false;
  }

  private void inflate(ByteBuffer in, List<ByteBuffer> out) throws ZipException {
    inflater.setInput(in);
    try {
      while (true) {
        ByteBuffer chunk = ByteBuffer.allocate(OUT_CHUNK);
        int n = inflater.inflate(chunk);
        if (n > 0) {
          chunk.flip();
          crc.update(chunk.duplicate());
          inflated += n;
          out.add(chunk);
        }
        if (inflater.finished()) {
          part = Part.TRAILER;
          return;
        }
        if (inflater.needsDictionary()) {
          throw new ZipException("gzip data asks for a preset dictionary");
        }
        if (inflater.needsInput()) {
          return;
        }
      }
    } catch (DataFormatException e) {
      ZipException z = new ZipException("corrupt gzip data: " + e.getMessage());
      z.initCause(e);
      throw z;
    }
  }

  private void trailer() throws ZipException {
    long expectedCrc = le32(0);
    long expectedSize = le32(4);
    if (expectedCrc != crc.getValue()) {
      throw new ZipException("gzip CRC-32 mismatch");
    }
    if (expectedSize != (inflated & 0xFFFF_FFFFL)) {
      throw new ZipException("gzip length mismatch");
    }
    part = Part.END;
  }

  private void startNextMember() {
    inflater.reset();
    crc.reset();
    inflated = 0;
    part = Part.FIXED_HEADER;
  }

  private long le32(int at) {
    return (scratch[at] & 0xFFL)
        | (scratch[at + 1] & 0xFFL) << 8
        | (scratch[at + 2] & 0xFFL) << 16
        | (scratch[at + 3] & 0xFFL) << 24;
  }
}

package org.spireoperator.e2e.support;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives test classes the suite's {@link RealServers}: started by the first class that asks, kept in
 * the root extension store, closed (servers stopped) when the whole run ends. A failure to start
 * fails the tests; it never skips them.
 */
public final class RealServersExtension implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RealServersExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    servers(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RealServers.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return servers(context);
  }

  private static RealServers servers(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            RealServers.class,
            key -> {
              try {
                return RealServers.start();
              } catch (RuntimeException e) {
                throw e;
              } catch (Exception e) {
                throw new IllegalStateException(
                    "cannot start the real servers: " + e.getMessage(), e);
              }
            },
            RealServers.class);
  }
}

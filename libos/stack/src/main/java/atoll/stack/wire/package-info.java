/**
 * Wire formats of the direct stack (DESIGN §9.2–9.3). Each format has a flyweight view over a
 * buffer ({@code TcpHeader}, ...) that is checked once by {@code check(...)}, which returns a
 * {@link atoll.stack.wire.Verdict}; once it said {@link atoll.stack.wire.Verdict#OK OK}, no
 * accessor of the view can throw. Each also has an immutable record ({@code TcpRepr}, ...) with
 * {@code parse} and {@code emit}, for tests and slow paths. Views allocate nothing and can be
 * reused for every packet; a view is valid while the memory it wraps is.
 *
 * <p>This package depends on nothing but {@code java.lang.foreign} and libos's buffers.
 */
package atoll.stack.wire;

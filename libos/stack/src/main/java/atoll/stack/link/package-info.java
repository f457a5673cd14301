/** What the engines need from a link: a sink for outgoing frames. */
package atoll.stack.link;

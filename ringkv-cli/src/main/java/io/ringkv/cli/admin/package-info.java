/**
 * {@code ringkv admin}: talking to one node's admin endpoints over HTTP ({@link io.ringkv.cli.admin.AdminClient})
 * and rendering their answers (hints, repair progress). Rendering is pure, so it is tested without a node.
 */
package io.ringkv.cli.admin;

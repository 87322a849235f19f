package io.ringkv.core.ring;

import java.util.List;
import java.util.Map;

/**
 * Decides which tokens a joining node takes and who receives a leaving node's ranges. Pure:
 * it reads a ring and returns a decision; applying it (and streaming the moved ranges) is
 * someone else's job. A node runs it on the ring it currently knows and announces the result.
 */
public interface TokenAllocator {

    /** The number of vnodes a node of this weight holds. */
    int vnodeCount(double weight);

    /** The tokens {@code joiner} should claim, given the ring as this node sees it. */
    List<Token> tokensForJoin(Ring ring, Member joiner);

    /**
     * Who takes over each of {@code leaving}'s tokens; an empty map means the tokens are simply
     * removed and each range joins its clockwise successor.
     */
    Map<Token, String> reassignmentForLeave(Ring ring, String leaving);

    default Ring join(Ring ring, Member joiner) {
        return ring.withNode(joiner, tokensForJoin(ring, joiner));
    }

    default Ring leave(Ring ring, String leaving) {
        Map<Token, String> handover = reassignmentForLeave(ring, leaving);
        return (handover.isEmpty() ? ring : ring.withTokensReassigned(handover)).withoutNode(leaving);
    }
}

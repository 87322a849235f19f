package io.ringkv.core.ring;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The classic scheme (Karger et al.; Dynamo §6.2 strategy 1): each vnode at a pseudo-random
 * token derived from the node id and a seed. Simple and fully decentralized, but with V vnodes
 * per node a node's share has a relative standard deviation of about 1/sqrt(V), so at 256
 * vnodes and hundreds of nodes the most loaded node owns ~20% more than the mean. Kept as the
 * baseline the simulation compares against.
 */
public final class RandomTokenAllocator implements TokenAllocator {
    private final int vnodesPerWeightUnit;
    private final long seed;

    public RandomTokenAllocator(int vnodesPerWeightUnit, long seed) {
        this.vnodesPerWeightUnit = BalancedTokenAllocator.requireVnodes(vnodesPerWeightUnit);
        this.seed = seed;
    }

    @Override
    public int vnodeCount(double weight) {
        return BalancedTokenAllocator.vnodeCount(weight, vnodesPerWeightUnit);
    }

    @Override
    public List<Token> tokensForJoin(Ring ring, Member joiner) {
        long nodeSeed = seed;
        for (byte b : joiner.nodeId().getBytes(StandardCharsets.UTF_8)) {
            nodeSeed = nodeSeed * 31 + b;
        }
        SplittableRandom random = new SplittableRandom(nodeSeed);
        int count = vnodeCount(joiner.weight());
        List<Token> tokens = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            tokens.add(new Token(random.nextLong(), random.nextLong()));
        }
        return tokens;
    }

    @Override
    public Map<Token, String> reassignmentForLeave(Ring ring, String leaving) {
        return Map.of();
    }
}

namespace Integrity.Contracts;

/// <summary>A seller (store).</summary>
public interface ISellerGrain : IEntityGrain;

/// <summary>A listing (product page) of one seller.</summary>
public interface IListingGrain : IEntityGrain;

/// <summary>A customer account: reviewer on reviews, buyer on orders.</summary>
public interface IReviewerGrain : IEntityGrain;

/// <summary>A brand's profile: keywords, reference prices, authorized sellers, official stores, reports.</summary>
public interface IBrandGrain : IEntityGrain;

/// <summary>A category's price statistics (streaming quantiles).</summary>
public interface ICategoryGrain : IEntityGrain;

/// <summary>One keyed-hashed identifier (bank account, device...) and the accounts that share it.</summary>
public interface IIdentifierGrain : IEntityGrain;

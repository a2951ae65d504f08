"""Static word lists for realistic US company data (no external dependencies)."""

FIRST_NAMES_F = (
    "Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Sandra "
    "Margaret Ashley Kimberly Emily Donna Michelle Carol Amanda Melissa Deborah Stephanie Dorothy Rebecca "
    "Sharon Laura Cynthia Amy Kathleen Angela Shirley Brenda Emma Anna Pamela Nicole Samantha Katherine "
    "Christine Debra Rachel Carolyn Janet Maria Olivia Heather Helen Catherine Diane Julie Victoria Joyce "
    "Lauren Kelly Christina Ruth Joan Virginia Judith Evelyn Hannah Andrea Megan Cheryl Jacqueline Madison "
    "Teresa Abigail Sophia Martha Sara Gloria Janice Kathryn Ann Isabella Judy Charlotte Julia Grace Amber "
    "Alice Jean Denise Frances Danielle Marilyn Natalie Beverly Diana Brittany Theresa Kayla Alexis Doris "
    "Lori Tiffany Keisha Ana Lucia Mei Priya Aisha Guadalupe Rosa"
).split()
FIRST_NAMES_M = (
    "James Robert John Michael David William Richard Joseph Thomas Christopher Charles Daniel Matthew Anthony "
    "Mark Donald Steven Andrew Paul Joshua Kenneth Kevin Brian Timothy Ronald George Jason Edward Jeffrey "
    "Ryan Jacob Nicholas Gary Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory "
    "Alexander Patrick Frank Raymond Jack Dennis Jerry Tyler Aaron Jose Adam Nathan Henry Zachary Douglas "
    "Peter Kyle Noah Ethan Jeremy Christian Walter Keith Austin Roger Terry Sean Gerald Carl Dylan Harold "
    "Jordan Jesse Bryan Lawrence Arthur Gabriel Bruce Logan Billy Joe Alan Juan Elijah Willie Albert Wayne "
    "Randy Mason Vincent Liam Roy Bobby Caleb Bradley Russell Lucas Carlos Luis Wei Rahul Omar Dmitri"
).split()
LAST_NAMES = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez "
    "Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark "
    "Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams "
    "Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker "
    "Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper "
    "Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James "
    "Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez "
    "Powell Jenkins Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Gonzales Fisher Vasquez "
    "Simmons Romero Jordan Patterson Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West Cole "
    "Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens "
    "Harrison Fernandez McDonald Woods Washington Kennedy Wells Vargas Henry Chen Freeman Webb Tucker "
    "Guzman Burns Crawford Olson Simpson Porter Hunter Gordon Mendez Silva Shaw Snyder Mason Dixon Munoz "
    "Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox Warren Mills Meyer Rice "
    "Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver Ryan Gardner Payne Grant Dunn O'Brien"
).split()
STREET_NAMES = (
    "Main Oak Maple Cedar Pine Elm Washington Lake Hill Walnut Park Sunset Highland Ridge Church Spring "
    "Franklin Jefferson Lincoln Madison Jackson Chestnut River Meadow Forest Willow Montgomery Vine Race "
    "Market Broad High Center Union Prospect Liberty Cherry Dogwood Hickory Magnolia Sycamore Poplar"
).split()
STREET_SUFFIXES = ("St", "Ave", "Rd", "Blvd", "Dr", "Ln", "Way", "Ct", "Pl", "Pkwy")
# (city, state, county, zip prefix, area code)
CITIES = (
    ("Cincinnati", "OH", "Hamilton", "452", "513"), ("Columbus", "OH", "Franklin", "432", "614"),
    ("Cleveland", "OH", "Cuyahoga", "441", "216"), ("Dayton", "OH", "Montgomery", "454", "937"),
    ("Louisville", "KY", "Jefferson", "402", "502"), ("Lexington", "KY", "Fayette", "405", "859"),
    ("Indianapolis", "IN", "Marion", "462", "317"), ("Chicago", "IL", "Cook", "606", "312"),
    ("Detroit", "MI", "Wayne", "482", "313"), ("Pittsburgh", "PA", "Allegheny", "152", "412"),
    ("Nashville", "TN", "Davidson", "372", "615"), ("Atlanta", "GA", "Fulton", "303", "404"),
    ("Charlotte", "NC", "Mecklenburg", "282", "704"), ("Dallas", "TX", "Dallas", "752", "214"),
    ("Austin", "TX", "Travis", "787", "512"), ("Denver", "CO", "Denver", "802", "303"),
    ("Phoenix", "AZ", "Maricopa", "850", "602"), ("Tampa", "FL", "Hillsborough", "336", "813"),
    ("Orlando", "FL", "Orange", "328", "407"), ("St. Louis", "MO", "St. Louis", "631", "314"),
    ("Minneapolis", "MN", "Hennepin", "554", "612"), ("Milwaukee", "WI", "Milwaukee", "532", "414"),
    ("Richmond", "VA", "Henrico", "232", "804"), ("Raleigh", "NC", "Wake", "276", "919"),
)
COMPANY_WORDS = (
    "Acme Summit Riverbend Keystone Buckeye Lakeshore Pioneer Northstar Bluegrass Heartland Tristate "
    "Cardinal Evergreen Ironwood Granite Harbor Meridian Silverline Redwood Crescent"
).split()
COMPANY_KINDS = (
    ("Manufacturing", "Inc."), ("Logistics", "LLC"), ("Health Partners", "LLC"), ("Foods", "Inc."),
    ("Construction", "Co."), ("Retail Group", "Inc."), ("Hospitality", "LLC"), ("Technologies", "Inc."),
)
# department tree: parent -> children
DEPARTMENTS = (
    ("Operations", ("Production", "Warehouse", "Shipping & Receiving", "Quality Assurance", "Maintenance")),
    ("Sales & Marketing", ("Inside Sales", "Field Sales", "Marketing", "Customer Success")),
    ("Finance & Administration", ("Accounting", "Payroll", "Human Resources", "Legal")),
    ("Technology", ("IT Support", "Software Development", "Data & Analytics")),
)
# (job title, job code prefix, EEO category 1..10, hourly?, min rate, max rate)
JOB_TITLES = (
    ("Chief Executive Officer", "EXEC", 1, False, 180000, 320000),
    ("Operations Manager", "MGR", 1, False, 75000, 120000),
    ("Human Resources Manager", "MGR", 1, False, 70000, 110000),
    ("Controller", "FIN", 2, False, 90000, 140000),
    ("Staff Accountant", "FIN", 2, False, 52000, 75000),
    ("Payroll Specialist", "ADM", 5, False, 45000, 62000),
    ("Software Engineer", "ENG", 2, False, 85000, 150000),
    ("IT Support Technician", "TEC", 3, True, 20.0, 32.0),
    ("Data Analyst", "ENG", 2, False, 65000, 98000),
    ("Sales Representative", "SLS", 4, False, 45000, 85000),
    ("Account Manager", "SLS", 4, False, 55000, 90000),
    ("Marketing Coordinator", "MKT", 5, False, 45000, 65000),
    ("Customer Service Representative", "CSR", 5, True, 16.0, 23.0),
    ("Administrative Assistant", "ADM", 5, True, 17.0, 25.0),
    ("Production Supervisor", "SUP", 1, False, 55000, 78000),
    ("Machine Operator", "PRD", 7, True, 17.5, 26.0),
    ("Assembler", "PRD", 8, True, 15.5, 21.0),
    ("Quality Inspector", "QA", 6, True, 18.0, 27.0),
    ("Warehouse Associate", "WHS", 8, True, 15.0, 21.5),
    ("Forklift Operator", "WHS", 7, True, 17.0, 24.0),
    ("Truck Driver", "DRV", 7, True, 21.0, 32.0),
    ("Maintenance Technician", "MNT", 6, True, 22.0, 34.0),
    ("Registered Nurse", "RN", 2, True, 32.0, 48.0),
    ("Line Cook", "FS", 9, True, 14.0, 19.5),
)
# (code, description, global code, factor, is hours based)
EARNINGS = (
    ("REG", "Regular", "REG", 1.0), ("OT", "Overtime", "OT", 1.5), ("DT", "Double Time", "DT", 2.0),
    ("SAL", "Salary", "SAL", 1.0), ("HOL", "Holiday", "HOL", 1.0), ("PTO", "Paid Time Off", "PTO", 1.0),
    ("SICK", "Sick Pay", "SICK", 1.0), ("BON", "Bonus", "BONUS", 1.0), ("COMM", "Commission", "COMM", 1.0),
    ("SHFT", "Shift Differential", "SHIFT", 1.0), ("BRV", "Bereavement", "BEREAV", 1.0),
)
# (code, description, deduction type)
DEDUCTIONS = (
    ("401K", "401(k) Employee Contribution", "D"), ("401KL", "401(k) Loan Repayment", "D"),
    ("ROTH", "Roth 401(k)", "D"), ("MED", "Medical Insurance Pre-Tax", "D125"),
    ("DEN", "Dental Insurance Pre-Tax", "D125"), ("VIS", "Vision Insurance Pre-Tax", "D125"),
    ("HSA", "Health Savings Account", "D125"), ("FSA", "Flexible Spending Account", "D125"),
    ("LIFE", "Supplemental Life Insurance", "PPD"), ("STD", "Short Term Disability", "PPD"),
    ("CS", "Child Support", "CS"), ("UNION", "Union Dues", "PPD"), ("GARN", "Wage Garnishment", "PPD"),
)
# (tax code, description, tax type, authority code)
FEDERAL_TAXES = (
    ("FED", "Federal Withholding", "FWH", "FED"), ("FICA", "Social Security", "FSS", "FED"),
    ("FICAER", "Social Security Employer", "FSOCER", "FED"), ("MEDI", "Medicare", "FMEDA", "FED"),
    ("FUTA", "Federal Unemployment", "FUTA", "940"),
)
BANKS = ("Fifth Third Bank", "PNC Bank", "U.S. Bank", "Chase", "Huntington National Bank", "KeyBank")
